using System.Net.Http.Json;

namespace NationalId.Tests.Support;

/// <summary>The gateway's memory diagnostics, as the tests that count left-behind activations read them.</summary>
public static class Diagnostics
{
    private sealed record Memory(long ManagedBytes, int Activations, int CitizenActivations);

    public static async Task<int> CitizenActivationsAsync(HttpClient http, string operatorKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/operator/diagnostics/memory") { Content = JsonContent.Create(new { }) };
        request.Headers.Add("X-Operator-Key", operatorKey);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<Memory>())!.CitizenActivations;
    }
}
