using CcmPlatform.Patients.Domain;

namespace CcmPlatform.Patients.Tests;

public sealed class DomainTests
{
    [Theory]
    [Trait("Rule", "R-ELIG-4")]
    [InlineData("1234567893", true)]
    [InlineData("1245319599", true)]
    [InlineData("1234567890", false)]
    [InlineData("123456789", false)]
    [InlineData("12345678a3", false)]
    [InlineData(null, false)]
    public void GivenNpi_WhenChecked_ThenLuhnWith80840PrefixDecides(string? npi, bool valid)
        => Assert.Equal(valid, Npi.IsValid(npi));

    [Theory]
    [Trait("Rule", "R-CONS-3")]
    [InlineData("2025-03-10T14:00:00Z", "America/New_York", "2025-04-01T04:00:00Z")]
    [InlineData("2025-05-01T02:00:00Z", "America/New_York", "2025-05-01T04:00:00Z")]
    [InlineData("2025-12-31T23:30:00Z", "Europe/Paris", "2026-01-31T23:00:00Z")]
    public void GivenRevocation_WhenEffectiveComputed_ThenEndOfLocalCalendarMonth(string revoked, string zone, string expected)
    {
        var at = DateTime.Parse(revoked, null, System.Globalization.DateTimeStyles.AdjustToUniversal);

        var effective = ConsentRules.RevocationEffectiveAt(at, TimeZoneInfo.FindSystemTimeZoneById(zone));

        Assert.Equal(DateTime.Parse(expected, null, System.Globalization.DateTimeStyles.AdjustToUniversal), effective);
        Assert.Equal(DateTimeKind.Utc, effective.Kind);
    }

    [Fact]
    [Trait("Rule", "R-ELIG-4")]
    public void GivenSameSyntheaId_WhenChoosingTwice_ThenSamePractitioner()
    {
        string[] npis = ["1", "2", "3"];

        Assert.Equal(BillingPractitionerChoice.Choose("abc", npis), BillingPractitionerChoice.Choose("abc", npis));
        Assert.Equal(0x811C9DC5u, BillingPractitionerChoice.Fnv1a(string.Empty));
        Assert.Equal(0xE40C292Cu, BillingPractitionerChoice.Fnv1a("a"));
    }

    [Theory]
    [Trait("Rule", "R-ELIG-5")]
    [InlineData("1EG4-TE5-MK73", true)]
    [InlineData("1EG4TE5MK73", true)]
    [InlineData("0EG4TE5MK73", false)]
    [InlineData("1SG4TE5MK73", false)]
    [InlineData("1EG4TE5MK7", false)]
    public void GivenMbi_WhenChecked_ThenCmsFormatDecides(string mbi, bool valid) => Assert.Equal(valid, Mbi.IsValid(mbi));
}
