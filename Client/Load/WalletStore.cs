using System.Globalization;
using System.Text;
using NationalId.Client.Wallet;

namespace NationalId.Client.Load;

/// <summary>
/// A seeded population's phones in a tab-separated file, one citizen a line, so a large population is seeded once
/// (`nid seed`) and reused by many scenario runs without holding a million key objects in memory: a phone's key is
/// imported only when a run makes a QR with it. Holds device private keys of synthetic citizens: test data only.
/// </summary>
public static class WalletStore
{
    private const string Header = "# nid wallets v1: index, home province, credential id, handle, credential reference, key id, suite, service key, assurance, device key (PKCS#8)";

    public sealed record Entry(int Index, string HomeProvince, WalletFile Wallet);

    public static string Line(Entry e) => string.Join('\t',
        e.Index.ToString(CultureInfo.InvariantCulture), e.HomeProvince, e.Wallet.CredentialId, e.Wallet.CitizenHandle, e.Wallet.CredentialReference,
        e.Wallet.PresentationKeyId?.ToString(CultureInfo.InvariantCulture), e.Wallet.PresentationSuite.ToString(CultureInfo.InvariantCulture),
        e.Wallet.PresentationPublicKey, e.Wallet.Assurance, e.Wallet.PrivateKey);

    public static Entry Parse(string line)
    {
        var f = line.Split('\t');
        if (f.Length != 10)
        {
            throw new FormatException($"A wallet line has 10 fields, this one {f.Length}.");
        }

        return new Entry(int.Parse(f[0], CultureInfo.InvariantCulture), f[1], new WalletFile
        {
            CredentialId = f[2],
            CitizenHandle = f[3],
            CredentialReference = f[4],
            PresentationKeyId = uint.Parse(f[5], CultureInfo.InvariantCulture),
            PresentationSuite = int.Parse(f[6], CultureInfo.InvariantCulture),
            PresentationPublicKey = f[7],
            Assurance = f[8],
            PrivateKey = f[9],
        });
    }

    public static IEnumerable<Entry> Read(string path) =>
        File.ReadLines(path).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(Parse);

    /// <summary>Appends entries as they come from many threads; flushes on dispose.</summary>
    public sealed class Writer : IDisposable
    {
        private readonly StreamWriter _out;
        private readonly Lock _gate = new();

        public Writer(string path)
        {
            _out = new StreamWriter(path, append: false, Encoding.UTF8);
            _out.WriteLine(Header);
        }

        public void Add(Entry entry)
        {
            lock (_gate)
            {
                _out.WriteLine(Line(entry));
            }
        }

        public void Dispose() => _out.Dispose();
    }
}
