using Analytics.TestUtilities;
using Analytics.TestUtilities.Kafka;

[assembly: AssemblyFixture(typeof(ChDbFixture))]
[assembly: AssemblyFixture(typeof(KafkaMockFixture))]
