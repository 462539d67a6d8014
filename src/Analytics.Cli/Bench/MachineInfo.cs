using System.Globalization;
using System.Runtime.InteropServices;

namespace Analytics.Cli.Bench;

/// <summary>What a benchmark ran on, for the report.</summary>
public sealed record MachineInfo(int Cores, string Cpu, double RamGiB, string Os, string Runtime)
{
    public static MachineInfo Current()
    {
        var cpu = ReadField("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString();
        var memKb = ReadField("/proc/meminfo", "MemTotal") is { } mem && long.TryParse(mem.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture, out var kb)
            ? kb : 0;
        var os = ReadField("/etc/os-release", "PRETTY_NAME", '=')?.Trim('"') is { Length: > 0 } pretty
            ? $"{pretty}, kernel {ReadText("/proc/sys/kernel/osrelease") ?? Environment.OSVersion.VersionString}"
            : RuntimeInformation.OSDescription;
        return new MachineInfo(Environment.ProcessorCount, cpu, memKb / 1024.0 / 1024.0, os, RuntimeInformation.FrameworkDescription);
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Cores} cores ({Cpu}), {RamGiB:0.#} GiB RAM, {Os}, {Runtime}");

    private static string? ReadText(string file)
    {
        try
        {
            return File.Exists(file) ? File.ReadAllText(file).Trim() : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Whether this build of the tool has the JIT optimizer disabled (a Debug build: numbers are not representative).</summary>
    public static bool IsDebugBuild() =>
        typeof(MachineInfo).Assembly.GetCustomAttributes(typeof(System.Diagnostics.DebuggableAttribute), false)
            .OfType<System.Diagnostics.DebuggableAttribute>().Any(a => a.IsJITOptimizerDisabled);

    private static string? ReadField(string file, string key, char separator = ':')
    {
        try
        {
            if (!File.Exists(file)) return null;
            foreach (var line in File.ReadLines(file))
            {
                var i = line.IndexOf(separator);
                if (i > 0 && line[..i].Trim() == key) return line[(i + 1)..].Trim();
            }
        }
        catch (IOException)
        {
        }
        return null;
    }
}
