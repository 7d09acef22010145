namespace NationalId.IdNumbers;

/// <summary>What exactly is wrong with a resident ID number. Each value maps to a stable API error detail.</summary>
public enum IdNumberError
{
    None = 0,
    Empty,
    WrongLength,
    InvalidCharacter,
    UnknownProvince,
    InvalidRegionCode,
    InvalidBirthDate,
    BirthDateInFuture,
    InvalidSequence,
    CheckCharacterMismatch,
}
