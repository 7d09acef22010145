using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using NationalId.Citizens.Rules;
using NationalId.Errors;
using NationalId.History;
using NationalId.Protocol;

namespace NationalId.Citizens;

/// <summary>
/// Binding a phone (docs/protocol.md §4): with a counter code, or remotely with a live face whose capture a certified
/// SDK attested. A number nobody enrolled is answered, worked and locked out exactly like an enrolled one.
/// </summary>
public sealed partial class CitizenGrain
{
    public async Task<ActivationResult> Activate(DeviceActivation activation)
    {
        var now = clock.GetUtcNow();
        if (!Citizen.Enrolled)
        {
            // Answered, worked and locked out exactly as for an enrolled citizen whose face does not match: the same
            // remote-failure count kept in this grain's stored state (a storage write per failure, as for a citizen),
            // the same lockout. A phone must learn who is enrolled neither from the answer nor from the time it takes.
            return activation.ActivationCode is not null ? Refused(ErrorCodes.ActivationCodeInvalid)
                : activation.Face is null ? Refused(ErrorCodes.ProofRequired)
                : Refused((await Faces.CheckRemote(activation, now)).Refusal ?? RejectionReason.FaceMismatch);
        }

        // The caller proved possession of this key (the request is signed with it). A key already bound answers
        // with its credential, so a retry after a lost answer is safe; a revoked key never comes back.
        if (ActivationRules.Existing(Citizen.Credentials, activation.DevicePublicKey) is { } existing)
        {
            return existing.Status == CredentialStatus.Revoked
                ? Refused(ErrorCodes.PublicKeyRevoked)
                : new ActivationResult(null, existing.CredentialId, existing.Assurance, existing.BoundAt);
        }

        Assurance assurance;
        UsedChallenge? mark = null;
        if (activation.ActivationCode is { } code)
        {
            var attempt = ActivationRules.Code(
                Citizen.ActivationCodeHash, Citizen.ActivationCodeExpiresAt, Citizen.ActivationCodeFailures, code, now, _options.ActivationCodeMaxAttempts);
            if (attempt.Changed)
            {
                Citizen.ActivationCodeFailures = attempt.Failures;
                Citizen.ActivationCodeHash = attempt.Void ? null : Citizen.ActivationCodeHash;
                await Outbox.Persist();
            }

            if (attempt.Refusal is { } wrongCode)
            {
                return Refused(wrongCode);
            }

            assurance = Assurance.High;
        }
        else if (activation.Face is not null)
        {
            // Only a capture its certified SDK's vendor signed for this key and a fresh challenge counts (a template
            // computed from a photo is not a live face), and it counts toward the remote limit: no endless guessing.
            (var faceProblem, mark) = await Faces.CheckRemote(activation, now);
            if (faceProblem is not null)
            {
                return Refused(faceProblem);
            }

            // Only after the face matched: whether an identity is locked is told to its owner, not to anyone.
            if (Citizen.Locked)
            {
                Faces.Unmark(mark); // nothing is stored for this attempt, so nothing is marked
                return Refused(RejectionReason.CitizenLocked); // a locked identity binds phones only at a counter
            }

            assurance = Assurance.Substantial;
        }
        else
        {
            return Refused(ErrorCodes.ProofRequired);
        }

        if (ActivationRules.DeviceLimitReached(Citizen.Credentials, _options.MaxActiveCredentials))
        {
            Faces.Unmark(mark); // nothing is stored for this attempt, so nothing is marked
            return Refused(ErrorCodes.DeviceLimitReached);
        }

        var credential = new CredentialRecord
        {
            CredentialId = RandomNumberGenerator.GetBytes(ProtocolConstants.CredentialIdLength),
            PublicKey = activation.DevicePublicKey,
            BoundAt = now,
            Assurance = assurance,
            Status = CredentialStatus.Active,
            DeviceLabel = activation.DeviceLabel,
            ProvisionalUntil = ActivationRules.ProvisionalUntil(assurance, now, _options.RemoteBindingCoolingOff),
        };
        Citizen.Credentials.Add(credential);
        if (activation.ActivationCode is not null)
        {
            Citizen.ActivationCodeHash = null;
        }

        Raise(HistoryKind.Bound, credential.CredentialId, activation.ActivationCode is null ? "remote_face" : "counter_code", activation.DeviceLabel);
        await Commit();
        logger.LogInformation("Credential bound with assurance {Assurance}", assurance);
        return new ActivationResult(null, credential.CredentialId, assurance, now);

        static ActivationResult Refused(string code) => new(code, null, Assurance.None, default);
    }
}
