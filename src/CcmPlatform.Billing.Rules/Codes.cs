namespace CcmPlatform.Billing.Rules;

/// <summary>HCPCS/CPT code numbers used as identifiers (no AMA descriptors).</summary>
public static class Codes
{
    public const string Ccm99490 = "99490", Ccm99439 = "99439", Ccm99487 = "99487", Ccm99489 = "99489",
        Ccm99491 = "99491", Ccm99437 = "99437", LegacyG2058 = "G2058",
        Pcm99424 = "99424", Pcm99425 = "99425", Pcm99426 = "99426", Pcm99427 = "99427",
        ApcmG0556 = "G0556", ApcmG0557 = "G0557", ApcmG0558 = "G0558",
        Tcm99495 = "99495", Tcm99496 = "99496", G0506 = "G0506",
        HomeHealthG0181 = "G0181", HospiceG0182 = "G0182", Bhi99484 = "99484";

    public static bool IsCcm(string c) => c is Ccm99490 or Ccm99439 or Ccm99487 or Ccm99489 or Ccm99491 or Ccm99437 or LegacyG2058;
    public static bool IsPcm(string c) => c is Pcm99424 or Pcm99425 or Pcm99426 or Pcm99427;
    public static bool IsApcm(string c) => c is ApcmG0556 or ApcmG0557 or ApcmG0558;
    public static bool IsTcm(string c) => c is Tcm99495 or Tcm99496;
    public static bool IsHospiceOrHomeHealthOversight(string c) => c is HomeHealthG0181 or HospiceG0182;
    public static bool IsEsrd(string c) => c.Length == 5 && c.StartsWith("909", StringComparison.Ordinal)
        && int.TryParse(c, out var n) && n is >= 90951 and <= 90970;
    public static bool IsRpm(string c) => c.Length == 5 && int.TryParse(c, out var n) && n is >= 99453 and <= 99458;
    public static bool IsBhi(string c) => c == Bhi99484;

    /// <summary>Codes that may serve as an initiating visit (R-INIT-1).</summary>
    public static bool IsInitiatingVisit(string c) =>
        c is "99202" or "99203" or "99204" or "99205" or "99212" or "99213" or "99214" or "99215"
            or "G0438" or "G0439" or "G0402";

    /// <summary>Codes the engine can put on a claim: the only codes a price or an MUE cap can affect (R-CODE-6).</summary>
    public static IReadOnlyList<string> Billed => KnownCodes.Names;

    public static bool IsBilled(string c) => Array.IndexOf(KnownCodes.Names, c) >= 0;

    public static CareProgram? ProgramOf(string c) =>
        IsCcm(c) ? CareProgram.Ccm : IsPcm(c) ? CareProgram.Pcm : IsApcm(c) ? CareProgram.Apcm
        : IsTcm(c) ? CareProgram.Tcm : IsRpm(c) ? CareProgram.Rpm : IsBhi(c) ? CareProgram.Bhi
        : c == G0506 ? CareProgram.G0506 : null;
}

/// <summary>Codes the engine emits, indexed so pricing and caps are array reads in the hot path.</summary>
internal enum KnownCode { C99490, C99439, C99487, C99489, C99491, C99437, C99424, C99425, C99426, C99427, G0556, G0557, G0558 }

internal static class KnownCodes
{
    public static readonly string[] Names =
    [
        Codes.Ccm99490, Codes.Ccm99439, Codes.Ccm99487, Codes.Ccm99489, Codes.Ccm99491, Codes.Ccm99437,
        Codes.Pcm99424, Codes.Pcm99425, Codes.Pcm99426, Codes.Pcm99427, Codes.ApcmG0556, Codes.ApcmG0557, Codes.ApcmG0558,
    ];
}
