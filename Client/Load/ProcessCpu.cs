using System.Globalization;

namespace NationalId.Client.Load;

/// <summary>
/// CPU time used by a set of processes and all their descendants (PostgreSQL serves each connection from a child
/// process), read from /proc on Linux. Used to express throughput per CPU-second of the service, not of the machine.
/// Each process counts its own time plus that of its ended, reaped children (cutime, cstime), so the time of a child
/// that ends between two readings (a PostgreSQL backend whose pooled connection was pruned) moves to its parent
/// instead of vanishing: the sum over the tree never goes down.
/// </summary>
public static class ProcessCpu
{
    /// <summary>Linux reports times in USER_HZ ticks, 100 per second on every supported architecture.</summary>
    private const double TicksPerSecond = 100.0;

    public static double Seconds(IReadOnlyCollection<int> roots)
    {
        if (roots.Count == 0 || !Directory.Exists("/proc"))
        {
            return 0;
        }

        var parents = new Dictionary<int, int>();
        var ticks = new Dictionary<int, long>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
                ticks[pid] = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)
                    + long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // the process ended while we looked
            }
        }

        var included = new HashSet<int>(roots);
        bool grew;
        do
        {
            grew = false;
            foreach (var (pid, parent) in parents)
            {
                if (included.Contains(parent) && included.Add(pid))
                {
                    grew = true;
                }
            }
        }
        while (grew);

        return included.Sum(pid => ticks.GetValueOrDefault(pid)) / TicksPerSecond;
    }
}
