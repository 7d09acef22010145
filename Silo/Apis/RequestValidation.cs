using Microsoft.AspNetCore.Http.HttpResults;
using NationalId.Api;
using NationalId.Citizens;
using NationalId.Errors;
using NationalId.IdNumbers;
using NationalId.Protocol;

namespace NationalId.Silo.Apis;

/// <summary>Turns raw request fields into domain values or a 400 with a stable code.</summary>
public static class RequestValidation
{
    public static ProblemHttpResult? IdNumber(string? text, out ResidentIdNumber idNumber, string field = "idNumber")
    {
        if (ResidentIdNumber.TryParse(text, out var parsed, out var error))
        {
            idNumber = parsed!;
            return null;
        }

        idNumber = null!;
        var what = error switch
        {
            IdNumberError.Empty => "is missing",
            IdNumberError.WrongLength => "must have 18 characters",
            IdNumberError.InvalidCharacter => "may contain only digits and a final X",
            IdNumberError.UnknownProvince => "starts with an unknown province code",
            IdNumberError.InvalidRegionCode => "has an invalid region code",
            IdNumberError.InvalidBirthDate => "has an invalid birth date",
            IdNumberError.BirthDateInFuture => "has a birth date in the future",
            IdNumberError.InvalidSequence => "has an invalid sequence number",
            IdNumberError.CheckCharacterMismatch => "has a wrong check character",
            _ => "is invalid",
        };
        return ApiErrors.Problem(ErrorCodes.InvalidIdNumber, $"'{field}': the ID number {what}.");
    }

    /// <summary>A face is optional here; when given it must be well formed.</summary>
    public static ProblemHttpResult? Face(FaceInput? input, out FaceSample? face)
    {
        face = null;
        if (input is null)
        {
            return null;
        }

        if (input.Template is null || input.Liveness is null)
        {
            return ApiErrors.Problem(ErrorCodes.FaceTemplateInvalid, "A face needs a template and a liveness score.");
        }

        var sample = new FaceSample(input.Template, input.Liveness.Value);
        if (sample.Problem() is { } problem)
        {
            return ApiErrors.Problem(problem, problem == ErrorCodes.FaceLivenessInvalid
                ? "The liveness score must be a number between 0 and 1."
                : $"The face template must have {FaceSample.Dimension} finite values, not all zero.");
        }

        face = sample;
        return null;
    }

    /// <summary>A capture attestation's shape (whether it is true is the citizen grain's check); null input is fine here.</summary>
    public static ProblemHttpResult? Capture(CaptureInput? input, out CaptureAttestation? capture)
    {
        capture = null;
        if (input is null)
        {
            return null;
        }

        if (!CaptureStatement.IsVendorId(input.Vendor) || input.CapturedAtMs is not (>= 0 and <= MaxUnixMs)
            || !Base64Url.TryDecode(input.Challenge, out var challenge) || challenge.Length != CaptureStatement.ChallengeLength
            || !Base64Url.TryDecode(input.Signature, out var signature) || signature.Length != ProtocolConstants.SignatureLength)
        {
            return ApiErrors.Problem(ErrorCodes.InvalidCapture,
                "A capture attestation has a vendor id (2-32 of a-z, 0-9, '-'), capturedAtMs (Unix ms), a 32-byte challenge and a 64-byte signature, both base64url.");
        }

        capture = new CaptureAttestation(input.Vendor!, input.CapturedAtMs.Value, challenge, signature);
        return null;
    }

    private const long MaxUnixMs = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z

    public static ProblemHttpResult? CredentialId(string? text, out byte[] credentialId)
    {
        if (Base64Url.TryDecode(text, out credentialId) && credentialId.Length == ProtocolConstants.CredentialIdLength)
        {
            return null;
        }

        return ApiErrors.Problem(ErrorCodes.InvalidCredentialId, "The credential id must be 16 bytes in base64url.");
    }

    public static ProblemHttpResult? Reason(string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return ApiErrors.Problem(ErrorCodes.ReasonRequired, "State the reason for this action.");
        }

        return Text("reason", reason, FreeText.MaxReason);
    }

    /// <summary>An optional free-text member: null or empty is fine, anything else follows <see cref="FreeText"/>.</summary>
    public static ProblemHttpResult? Text(string field, string? text, int maxLength) =>
        text is not null && FreeText.Problem(text, maxLength) is { } problem ? InvalidText(field, problem) : null;

    public static ProblemHttpResult InvalidText(string field, string problem) =>
        ApiErrors.Problem(ErrorCodes.InvalidText, $"'{field}' {problem} (docs/reference/api.md, Text).");

    public static ProblemHttpResult? Province(string? code) =>
        NationalId.IdNumbers.Province.IsKnown(code)
            ? null
            : ApiErrors.Problem(ErrorCodes.InvalidProvince, "Provinces are given by their two-digit code, e.g. \"44\".");
}
