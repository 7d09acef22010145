using NationalId.Protocol;
using Npgsql;
using NSec.Cryptography;

namespace NationalId.Client.Audit;

/// <summary>
/// The registration authority's side: reads the sealed statutory registrations from the service's database and opens
/// them with the authority's private key (which the service never has).
/// </summary>
public static class AuthorityReader
{
    public static Key ImportPrivateKey(string base64) =>
        Key.Import(KeyAgreementAlgorithm.X25519, Convert.FromBase64String(base64.Trim()), KeyBlobFormat.RawPrivateKey);

    /// <summary>The registrations of every database given (each citizen shard holds its citizens'), database by database.</summary>
    public static async Task<IReadOnlyList<StatutorySeal.Registration>> OpenAsync(IReadOnlyList<string> connectionStrings, Key privateKey, uint keyId, DateOnly? day = null)
    {
        var opened = new List<StatutorySeal.Registration>();
        foreach (var connectionString in connectionStrings.Distinct(StringComparer.Ordinal))
        {
            opened.AddRange(await OpenAsync(connectionString, privateKey, keyId, day));
        }

        return opened;
    }

    public static async Task<IReadOnlyList<StatutorySeal.Registration>> OpenAsync(string connectionString, Key privateKey, uint keyId, DateOnly? day = null)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand(
            "SELECT sealed_registration FROM access_history WHERE sealed_registration IS NOT NULL" +
            (day is null ? string.Empty : " AND recorded_at >= $1 AND recorded_at < $1 + interval '1 day'") + " ORDER BY recorded_at");
        if (day is { } d)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) });
        }

        var opened = new List<StatutorySeal.Registration>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            if (StatutorySeal.Open((byte[])reader[0], id => id == keyId ? privateKey : null) is { } registration)
            {
                opened.Add(registration);
            }
        }

        return opened;
    }
}
