using Analytics.TestUtilities;

[assembly: AssemblyFixture(typeof(ChDbFixture))]
