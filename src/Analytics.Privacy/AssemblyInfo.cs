using System.Runtime.CompilerServices;

// Tests exercise the scrubber core without its never-throw safety net.
[assembly: InternalsVisibleTo("Analytics.Privacy.Tests")]
