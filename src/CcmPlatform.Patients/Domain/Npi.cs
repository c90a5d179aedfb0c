namespace CcmPlatform.Patients.Domain;

/// <summary>National Provider Identifier check (R-ELIG-4): 10 digits, Luhn check digit computed over "80840" + the first 9.</summary>
public static class Npi
{
    public static bool IsValid(string? npi)
    {
        if (npi is null || npi.Length != 10 || !npi.All(char.IsAsciiDigit))
        {
            return false;
        }

        return CheckDigit(npi[..9]) == npi[9] - '0';
    }

    /// <summary>The Luhn check digit for nine NPI digits, with the 80840 card-issuer prefix of ISO 7812.</summary>
    public static int CheckDigit(string firstNine)
    {
        var digits = "80840" + firstNine;
        var sum = 0;
        // Walk right to left; the digit next to the (missing) check digit is doubled.
        for (int i = digits.Length - 1, position = 0; i >= 0; i--, position++)
        {
            var d = digits[i] - '0';
            if (position % 2 == 0)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
        }

        return (10 - (sum % 10)) % 10;
    }
}
