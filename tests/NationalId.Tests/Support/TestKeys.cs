using System.Security.Cryptography;
using NationalId.Protocol;

namespace NationalId.Tests.Support;

/// <summary>A service presentation key and a device key, made fresh for a test.</summary>
public sealed class TestKeys : IDisposable
{
    /// <summary>A protector for citizens' stored state with one fresh master key (id 1), as a test silo has.</summary>
    public static NationalId.Security.CitizenDataProtector DataProtector() =>
        new([(1u, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)))], 1);

    public ECDiffieHellman Service { get; } = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);

    public ECDsa Device { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public uint KeyId { get; init; } = 7;

    public ECParameters ServicePublic => Service.ExportParameters(false);

    public byte[] DevicePublicKey => PresentationCodec.EncodePoint(Device.ExportParameters(false).Q);

    public string ServicePrivatePkcs8 => Convert.ToBase64String(Service.ExportPkcs8PrivateKey());

    public ECDiffieHellman? Find(uint keyId) => keyId == KeyId ? Service : null;

    public void Dispose()
    {
        Service.Dispose();
        Device.Dispose();
    }
}
