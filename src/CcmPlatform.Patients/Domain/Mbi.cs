namespace CcmPlatform.Patients.Domain;

/// <summary>Medicare Beneficiary Identifier format (CMS): 11 characters, positions typed C A AN N A AN N A A N N.</summary>
public static class Mbi
{
    // S, L, O, I, B and Z are never used, to avoid confusion with digits.
    private const string Letters = "ACDEFGHJKMNPQRTUVWXY";

    public static bool IsValid(string? mbi)
    {
        if (mbi is null)
        {
            return false;
        }

        var s = mbi.Replace("-", string.Empty, StringComparison.Ordinal).Trim().ToUpperInvariant();
        if (s.Length != 11)
        {
            return false;
        }

        const string pattern = "CAXNAXNAANN";
        for (var i = 0; i < 11; i++)
        {
            var c = s[i];
            var ok = pattern[i] switch
            {
                'C' => c is >= '1' and <= '9',
                'N' => char.IsAsciiDigit(c),
                'A' => Letters.Contains(c),
                _ => char.IsAsciiDigit(c) || Letters.Contains(c),
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    public static string Normalize(string mbi) => mbi.Replace("-", string.Empty, StringComparison.Ordinal).Trim().ToUpperInvariant();
}
