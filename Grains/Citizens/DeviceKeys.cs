using System.Security.Cryptography;
using NationalId.Citizens.Rules;
using NationalId.Errors;
using NationalId.Protocol;

namespace NationalId.Citizens;

/// <summary>
/// The public keys of a citizen's phones, imported once per activation (most citizens have one or two phones, so a
/// short list beats a dictionary), and the check of a device-signed request against them.
/// </summary>
internal sealed class DeviceKeys
{
    private List<(byte[] CredentialId, ECDsa Key)>? _keys;

    public ECDsa For(CredentialRecord credential)
    {
        foreach (var (id, cached) in _keys ?? [])
        {
            if (id.AsSpan().SequenceEqual(credential.CredentialId))
            {
                return cached;
            }
        }

        PresentationCodec.TryDecodePoint(credential.PublicKey, out var parameters);
        var key = ECDsa.Create(parameters);
        (_keys ??= new(1)).Add((credential.CredentialId, key));
        return key;
    }

    /// <summary>
    /// Checks a device-signed request: a known signer in a status that may sign, a valid signature, a fresh time
    /// (<see cref="DeviceRules"/>). Null when it holds, with the signer; the signer's counter moves only on
    /// <see cref="Accept"/>, once the whole request is allowed.
    /// </summary>
    public string? Authorize(CitizenState citizen, DeviceSignedRequest? request, bool allowSuspendedSigner, DateTimeOffset now, bool consume, out CredentialRecord? signer)
    {
        signer = request is null ? null : citizen.FindCredential(request.CredentialId);
        if (signer is null || !DeviceRules.MaySign(signer.Status, allowSuspendedSigner)
            || !DeviceRequestSignature.Verify(For(signer), request!.SignedBytes, request.Signature))
        {
            signer = null;
            return ErrorCodes.DeviceSignatureInvalid;
        }

        if (DeviceRules.Freshness(now.ToUnixTimeMilliseconds(), request.TimestampMs, signer.LastDeviceRequestMs, consume) is { } stale)
        {
            signer = null;
            return stale;
        }

        return null;
    }

    /// <summary>Records the signed time of an allowed request: the same request, or an older one, is refused from now on.</summary>
    public static void Accept(CredentialRecord? signer, DeviceSignedRequest? request)
    {
        if (signer is not null && request is not null)
        {
            signer.LastDeviceRequestMs = request.TimestampMs;
        }
    }

    /// <summary>Frees the imported keys (at deactivation: a grain's lifetime ends there, not in a Dispose).</summary>
    public void Clear()
    {
        foreach (var (_, key) in _keys ?? [])
        {
            key.Dispose();
        }

        _keys = null;
    }
}
