using Microsoft.Extensions.DependencyInjection;
using NationalId.Tests.EndToEnd;

namespace NationalId.Tests.Support;

/// <summary>What the tests that count left-behind activations read: the cluster's citizen activations, from Orleans.</summary>
public static class Diagnostics
{
    public static async Task<int> CitizenActivationsAsync(GatewayFixture gateway)
    {
        var stats = await gateway.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        return stats.Where(s => s.GrainType.Contains("CitizenGrain", StringComparison.Ordinal)).Sum(s => s.ActivationCount);
    }
}
