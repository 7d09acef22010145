using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using NationalId.Errors;

namespace NationalId.Silo.Apis;

/// <summary>
/// Who may call which route group, decided once per group (docs/reference/api.md, Authentication): operators by the
/// <see cref="OperatorKeyHandler"/> scheme and the <see cref="Operator"/> policy on the one /v1/operator group;
/// phones and RPs prove themselves per request (device signatures, API keys) in their handlers and grains, so their
/// groups are marked anonymous on purpose. No fallback policy (it would turn every unknown path's 404 into a 401):
/// `EndpointAuthorizationTests` enumerates every endpoint instead, and one without a decision fails it.
/// </summary>
public static class GatewayPolicies
{
    public const string Operator = "operator";

    public const string OperatorRole = "operator";

    public static void AddGatewayAuthorization(this IServiceCollection services)
    {
        services.AddAuthentication(OperatorKeyHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, OperatorKeyHandler>(OperatorKeyHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Operator, p => p.AddAuthenticationSchemes(OperatorKeyHandler.SchemeName).RequireRole(OperatorRole));
    }
}

/// <summary>
/// The operator key in X-Operator-Key (a directory-backed officer login is the counter-officers issue), compared in
/// fixed time. Missing or wrong: 401 invalid_operator_key.
/// </summary>
public sealed class OperatorKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IOptions<GatewayApiOptions> gateway)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "OperatorKey";

    public const string KeyHeader = "X-Operator-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(KeyHeader, out var given))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var expected = gateway.Value.OperatorKey;
        if (expected.Length == 0 || !CryptographicOperations.FixedTimeEquals(
                SHA256.HashData(Encoding.UTF8.GetBytes(given.ToString())), SHA256.HashData(Encoding.UTF8.GetBytes(expected))))
        {
            return Task.FromResult(AuthenticateResult.Fail("The operator key is not valid."));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Role, GatewayPolicies.OperatorRole)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = ProblemResponses.Challenge(Request.Path);
        await ApiErrors.Problem(ErrorCodes.InvalidOperatorKey, $"Operators authenticate with the {KeyHeader} header.").ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden; // written as the framework's "forbidden" (ProblemResponses)
        return Task.CompletedTask;
    }
}
