using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using NationalId.Api;
using NationalId.Citizens;
using NationalId.Citizens.Rules;
using NationalId.Errors;
using NationalId.Protocol;
using NationalId.RelyingParties;
using NationalId.Silo.Apis;
using NationalId.Verification;
using Npgsql;
using NpgsqlTypes;

namespace NationalId.Bench;

/// <summary>
/// The straightforward central-table design, served beside ours for benchmarks only, by the benchmark host (bench/Baseline): the same
/// request, the same RP policy cache, the same decryption and checks, but the citizen and credential are read from
/// PostgreSQL on every verification and the history row is inserted in its own transaction, its unique nonce
/// enforcing single use. It shares nothing with the grains except the data it was imported from.
/// </summary>
public static class CentralTableApi
{
    public static IEndpointRouteBuilder MapCentralTableApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/baseline/v1").WithTags("Benchmark baseline").ExcludeFromDescription();
        api.MapPost("/import", Import).RequireAuthorization(GatewayPolicies.Operator);
        api.MapPost("/verifications", Verify).AllowAnonymous(); // the RP's API key, as /v1/verifications
        return app;
    }

    /// <summary>
    /// Copies citizens and credentials from the grains' stored state (operators only, by the route filter). The
    /// personal data is sealed there, so it is opened here, with the silo's master keys: the central-table design keeps
    /// it in clear, as the straightforward design it stands for would (benchmarks only, bench/Baseline).
    /// </summary>
    public static async Task<Ok<int>> Import(NpgsqlDataSource dataSource, Security.CitizenDataProtector protector)
    {
        var serializer = new GrainStateJsonSerializer(protector);
        var citizens = new List<(string Handle, Citizens.CitizenState State)>();
        await using (var read = dataSource.CreateCommand("SELECT grain_key_ext, payload FROM orleans_grain_state WHERE grain_type = 'citizen' AND payload IS NOT NULL"))
        await using (var reader = await read.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                citizens.Add((reader.GetString(0), serializer.Deserialize<Citizens.CitizenState>(new BinaryData((byte[])reader[1]))));
            }
        }

        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var truncate = new NpgsqlCommand("TRUNCATE baseline_citizens, baseline_credentials", connection, transaction))
        {
            await truncate.ExecuteNonQueryAsync();
        }

        var enrolled = citizens.Where(c => c.State.Enrolled).ToList();
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY baseline_citizens (citizen_handle, id_number, name, sex, birth_date, home_province, pseudonym_secret, locked) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (handle, c) in enrolled)
            {
                await copy.WriteRowAsync(default, handle, c.IdNumber, c.Name, c.Sex, c.BirthDate, c.HomeProvince, c.PseudonymSecret, c.Locked);
            }

            await copy.CompleteAsync();
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY baseline_credentials (credential_id, citizen_handle, public_key, status, assurance) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (handle, c) in citizens)
            {
                foreach (var credential in c.Credentials)
                {
                    await copy.WriteRowAsync(default, credential.CredentialId, handle, credential.PublicKey, credential.Status.ToString(), credential.Assurance.ToString());
                }
            }

            await copy.CompleteAsync();
        }

        await transaction.CommitAsync();
        return TypedResults.Ok(enrolled.Count);
    }

    public static async Task<Results<Ok<VerificationResponse>, ProblemHttpResult>> Verify(
        HttpRequest request, Verifier verifier, PresentationKeyRing keys, NpgsqlDataSource dataSource, TimeProvider clock, Statutory.StatutorySealer sealer)
    {
        var (policy, problem) = await VerificationApi.Authenticate(request, verifier);
        if (problem is not null)
        {
            return problem;
        }

        var (body, error) = await JsonBody.ReadAsync<VerificationRequest>(request, ApiJson.Options);
        if (error is not null)
        {
            return error;
        }

        var scope = policy!.Scopes.FirstOrDefault(s => s.Name == body!.Scope);
        if (scope is null)
        {
            return ApiErrors.Problem(ErrorCodes.ScopeNotAllowed, "This relying party is not registered for that scope.");
        }

        var now = clock.GetUtcNow();
        if (PresentationCodec.TryOpen(body!.Presentation, keys.Find, out var payload) != PresentationError.None)
        {
            return Answer(VerificationResult.Rejected(RejectionReason.Malformed, now));
        }

        await using var connection = await dataSource.OpenConnectionAsync();
        byte[] publicKey;
        string status, name, birthDate, idNumber, handle = payload!.CitizenHandle;
        bool locked;
        Assurance assurance;
        byte[] pseudonymSecret;
        await using (var read = new NpgsqlCommand(
            "SELECT c.public_key, c.status, c.assurance, z.name, z.birth_date, z.locked, z.pseudonym_secret, z.id_number " +
            "FROM baseline_credentials c JOIN baseline_citizens z ON z.citizen_handle = c.citizen_handle " +
            "WHERE c.credential_id = $1 AND c.citizen_handle = $2", connection))
        {
            read.Parameters.Add(new NpgsqlParameter { Value = payload.CredentialId, NpgsqlDbType = NpgsqlDbType.Bytea });
            read.Parameters.Add(new NpgsqlParameter { Value = handle });
            await using var row = await read.ExecuteReaderAsync();
            if (!await row.ReadAsync())
            {
                return Answer(VerificationResult.Rejected(RejectionReason.UnknownCredential, now));
            }

            publicKey = (byte[])row[0];
            status = row.GetString(1);
            assurance = Enum.Parse<Assurance>(row.GetString(2));
            name = row.GetString(3);
            birthDate = row.GetString(4);
            locked = row.GetBoolean(5);
            pseudonymSecret = (byte[])row[6];
            idNumber = row.GetString(7);
        }

        if (!PresentationCodec.TryDecodePoint(publicKey, out var parameters))
        {
            return Answer(VerificationResult.Rejected(RejectionReason.UnknownCredential, now));
        }

        using (var device = ECDsa.Create(parameters))
        {
            if (!DeviceRequestSignature.Verify(device, payload.SignedBytes, payload.Signature))
            {
                return Answer(VerificationResult.Rejected(RejectionReason.BadSignature, now));
            }
        }

        string? reason = null;
        if (payload.IssuedAt > now + TimeSpan.FromSeconds(30))
        {
            reason = RejectionReason.NotYetValid;
        }
        else if (payload.IssuedAt + ProtocolConstants.PresentationLifetime + TimeSpan.FromSeconds(30) < now)
        {
            reason = RejectionReason.Expired;
        }
        else if (status != nameof(CredentialStatus.Active))
        {
            reason = status == nameof(CredentialStatus.Revoked) ? RejectionReason.Revoked : RejectionReason.Suspended;
        }
        else if (locked)
        {
            reason = RejectionReason.CitizenLocked;
        }
        else if (scope.FaceRequired)
        {
            reason = RejectionReason.FaceRequired;
        }

        var attributes = new Dictionary<string, string>();
        if (reason is null)
        {
            foreach (var attribute in scope.Attributes)
            {
                attributes[attribute] = attribute switch
                {
                    DisclosableAttribute.Name => name,
                    DisclosableAttribute.AgeOver18 => (DateOnly.ParseExact(birthDate, "yyyy-MM-dd", CultureInfo.InvariantCulture).AddYears(18) <= DateOnly.FromDateTime(now.UtcDateTime)) ? "true" : "false",
                    _ => string.Empty,
                };
            }
        }

        var result = new VerificationResult(Guid.CreateVersion7(now), reason is null, reason, reason is null ? assurance : Assurance.None,
            reason is null ? Pseudonyms.For(pseudonymSecret, policy.RelyingPartyId) : null, attributes, null, now);

        // The same statutory duty as the grains: the registration sealed to the authority, stored with the line.
        var registration = result.Verified && scope.StatutoryRegistration
            ? sealer.Seal(new StatutorySeal.Registration(idNumber, name, now, policy.RelyingPartyId, policy.Province, scope.Name, result.VerificationId))
            : null;

        // One transaction per verification: durable before the answer, the unique nonce refusing a second use.
        await using var insert = new NpgsqlCommand(
            "INSERT INTO baseline_history (event_id, recorded_at, citizen_handle, relying_party_id, scope, verified, reason, presentation_nonce, disclosed_attributes, sealed_registration) " +
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (presentation_nonce) DO NOTHING", connection);
        insert.Parameters.Add(new NpgsqlParameter { Value = result.VerificationId, NpgsqlDbType = NpgsqlDbType.Uuid });
        insert.Parameters.Add(new NpgsqlParameter { Value = now.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        insert.Parameters.Add(new NpgsqlParameter { Value = handle });
        insert.Parameters.Add(new NpgsqlParameter { Value = policy.RelyingPartyId });
        insert.Parameters.Add(new NpgsqlParameter { Value = scope.Name });
        insert.Parameters.Add(new NpgsqlParameter { Value = result.Verified });
        insert.Parameters.Add(new NpgsqlParameter { Value = (object?)reason ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        insert.Parameters.Add(new NpgsqlParameter { Value = payload.Nonce, NpgsqlDbType = NpgsqlDbType.Bytea });
        insert.Parameters.Add(new NpgsqlParameter { Value = attributes.Keys.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        insert.Parameters.Add(new NpgsqlParameter { Value = (object?)registration ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bytea });
        if (await insert.ExecuteNonQueryAsync() == 0)
        {
            result = VerificationResult.Rejected(RejectionReason.Replayed, now);
        }

        return Answer(result);
    }

    private static Ok<VerificationResponse> Answer(VerificationResult r) => TypedResults.Ok(new VerificationResponse(
        r.VerificationId, r.Verified, r.Reason, ApiJson.Name(r.Assurance), r.Pseudonym, r.Attributes, r.Match, r.CheckedAt));
}
