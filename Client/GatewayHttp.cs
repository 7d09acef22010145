using System.Net.Http.Headers;
using NationalId.Api;

namespace NationalId.Client;

/// <summary>Plain HTTP calls to the gateway for the operator and terminal commands.</summary>
public static class GatewayHttp
{
    public static HttpClient Create(string gateway) => new() { BaseAddress = new Uri(gateway), Timeout = TimeSpan.FromSeconds(30) };

    public static Task<HttpResponseMessage> PostAsOperator<T>(this HttpClient http, string operatorKey, string path, T body, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json(body) };
        request.Headers.Add("X-Operator-Key", operatorKey);
        return http.SendAsync(request, cancellationToken);
    }

    public static Task<HttpResponseMessage> VerifyAsync(this HttpClient http, string apiKey, VerificationRequest body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/verifications") { Content = Json(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return http.SendAsync(request);
    }

    public static ByteArrayContent Json<T>(T body)
    {
        var content = new ByteArrayContent(ApiClientJson.Serialize(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }
}
