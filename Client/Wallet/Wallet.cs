using System.Net.Http.Json;
using System.Security.Cryptography;
using NationalId.Api;
using NationalId.Client.Capture;
using NationalId.Protocol;

namespace NationalId.Client.Wallet;

/// <summary>The phone wallet, simulated: creates its key, activates, makes presentations, revokes credentials.</summary>
public sealed class Wallet : IDisposable
{
    private readonly ECDsa _key;

    public Wallet(WalletFile file)
    {
        File = file;
        _key = ECDsa.Create();
        _key.ImportPkcs8PrivateKey(Convert.FromBase64String(file.PrivateKey), out _);
    }

    public WalletFile File { get; }

    public static Wallet Create() => new(new WalletFile
    {
        PrivateKey = Convert.ToBase64String(ECDsa.Create(ECCurve.NamedCurves.nistP256).ExportPkcs8PrivateKey()),
    });

    public string PublicKey => Base64Url.Encode(PresentationCodec.EncodePoint(_key.ExportParameters(false).Q));

    /// <summary>
    /// The phone's certified capture SDK: a face given to <see cref="ActivateAsync"/> without an attestation gets one
    /// from it, for a fresh service challenge. Null: faces are sent as given (a phone without a certified SDK).
    /// </summary>
    public CaptureSdk? CaptureSdk { get; set; } = CaptureSdk.Development;

    /// <summary>Binds this phone. Returns the HTTP response so callers can show errors as they came.</summary>
    public async Task<HttpResponseMessage> ActivateAsync(HttpClient http, string idNumber, FaceInput? face, string? activationCode, string? label = null)
    {
        if (face is { Capture: null, Template: not null, Liveness: not null } && string.IsNullOrWhiteSpace(activationCode) && CaptureSdk is { } sdk)
        {
            face = await AttestAsync(http, sdk, face);
        }

        var body = ApiClientJson.Serialize(new ActivationRequest(idNumber, PublicKey, face, activationCode, label));
        using var request = SignedRequest(HttpMethod.Post, "/v1/wallet/activations", body, withCredential: false);
        var response = await http.SendAsync(request);
        if (response.IsSuccessStatusCode)
        {
            var activation = await response.Content.ReadFromJsonAsync<ActivationResponse>(ApiClientJson.Options);
            File.CredentialId = activation!.CredentialId;
            File.CitizenHandle = activation.CitizenHandle;
            File.CredentialReference = activation.CredentialReference;
            File.PresentationKeyId = activation.PresentationKey.KeyId;
            File.PresentationPublicKey = activation.PresentationKey.PublicKey;
            File.PresentationSuite = activation.PresentationKey.Suite;
            File.Assurance = activation.Assurance;
        }

        return response;
    }

    /// <summary>Asks the service for a capture challenge and has the SDK attest the face for it and this phone's key.</summary>
    public async Task<FaceInput> AttestAsync(HttpClient http, CaptureSdk sdk, FaceInput face, DateTimeOffset? capturedAt = null)
    {
        using var response = await http.PostAsync("/v1/wallet/capture-challenges", null);
        response.EnsureSuccessStatusCode();
        var issued = await response.Content.ReadFromJsonAsync<CaptureChallengeResponse>(ApiClientJson.Options);
        Base64Url.TryDecode(issued!.Challenge, out var challenge);
        Base64Url.TryDecode(PublicKey, out var publicKey);
        return sdk.Attest(face, challenge, publicKey, capturedAt ?? DateTimeOffset.UtcNow);
    }

    /// <summary>Makes a presentation QR text offline, as the phone does.</summary>
    public string Present(DateTimeOffset? at = null, byte[]? nonce = null)
    {
        if (File.CredentialId is null || File.CitizenHandle is null || File.PresentationPublicKey is null)
        {
            throw new InvalidOperationException("The wallet is not activated.");
        }

        Base64Url.TryDecode(File.PresentationPublicKey, out var publicKey);
        Base64Url.TryDecode(File.CredentialId, out var credentialId);
        var serviceKey = new ServicePresentationKey(File.PresentationKeyId!.Value, (byte)File.PresentationSuite, publicKey);
        return PresentationCodec.Seal(_key, serviceKey, credentialId, File.CitizenHandle, at ?? DateTimeOffset.UtcNow, nonce);
    }

    /// <summary>Suspends, resumes or revokes one of the citizen's credentials (this one or another phone's), signed by this phone.</summary>
    public Task<HttpResponseMessage> ChangeCredentialAsync(
        HttpClient http, string action, string credentialId, string reason, FaceInput? face = null, long? timestampMs = null)
    {
        var body = ApiClientJson.Serialize(new WalletCredentialRequest(credentialId, reason, face));
        return http.SendAsync(SignedRequest(HttpMethod.Post, $"/v1/wallet/credentials/{action}", body, withCredential: true, timestampMs));
    }

    public Task<HttpResponseMessage> RevokeAsync(HttpClient http, string credentialId, string reason, long? timestampMs = null) =>
        ChangeCredentialAsync(http, "revoke", credentialId, reason, null, timestampMs);

    /// <summary>Grants another citizen a mandate to be verified on this phone's owner's behalf.</summary>
    public Task<HttpResponseMessage> GrantMandateAsync(
        HttpClient http, string delegateIdNumber, string[] scopes, FaceInput? face, DateTimeOffset? validFrom = null, DateTimeOffset? validUntil = null)
    {
        var body = ApiClientJson.Serialize(new WalletMandateRequest(delegateIdNumber, scopes, validFrom, validUntil, face));
        return http.SendAsync(SignedRequest(HttpMethod.Post, "/v1/wallet/mandates", body, withCredential: true));
    }

    public Task<HttpResponseMessage> ListMandatesAsync(HttpClient http) =>
        http.SendAsync(SignedRequest(HttpMethod.Get, "/v1/wallet/mandates", [], withCredential: true));

    public Task<HttpResponseMessage> RevokeMandateAsync(HttpClient http, string mandateId, string reason)
    {
        var body = ApiClientJson.Serialize(new WalletMandateRevokeRequest(mandateId, reason));
        return http.SendAsync(SignedRequest(HttpMethod.Post, "/v1/wallet/mandates/revoke", body, withCredential: true));
    }

    /// <summary>Registers the province the phone's owner lives in.</summary>
    public Task<HttpResponseMessage> RegisterResidenceAsync(HttpClient http, string province, long? timestampMs = null)
    {
        var body = ApiClientJson.Serialize(new WalletResidenceRequest(province));
        return http.SendAsync(SignedRequest(HttpMethod.Post, "/v1/wallet/residence", body, withCredential: true, timestampMs));
    }

    /// <summary>Locks (no face needed) or unlocks (live face needed) the citizen's identity.</summary>
    public Task<HttpResponseMessage> SetLockedAsync(HttpClient http, bool locked, string reason, FaceInput? face = null)
    {
        var body = ApiClientJson.Serialize(new WalletLockRequest(reason, face));
        return http.SendAsync(SignedRequest(HttpMethod.Post, locked ? "/v1/wallet/lock" : "/v1/wallet/unlock", body, withCredential: true));
    }

    /// <summary>Reads the citizen's access history, newest first.</summary>
    public Task<HttpResponseMessage> HistoryAsync(HttpClient http, string? before = null, int limit = 50)
    {
        var path = $"/v1/wallet/history?limit={limit}" + (before is null ? string.Empty : $"&before={before}");
        return http.SendAsync(SignedRequest(HttpMethod.Get, path, [], withCredential: true));
    }

    public HttpRequestMessage SignedRequest(HttpMethod method, string path, byte[] body, bool withCredential, long? timestampMs = null)
    {
        var timestamp = timestampMs ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var request = new HttpRequestMessage(method, path);
        if (method != HttpMethod.Get)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        request.Headers.Add(DeviceRequestSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(DeviceRequestSignature.SignatureHeader, DeviceRequestSignature.Sign(_key, method.Method, path, timestamp, body));
        if (withCredential)
        {
            request.Headers.Add(DeviceRequestSignature.CredentialHeader, File.CredentialReference);
        }

        return request;
    }

    public void Dispose() => _key.Dispose();
}
