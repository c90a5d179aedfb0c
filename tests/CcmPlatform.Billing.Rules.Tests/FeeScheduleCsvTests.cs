using CcmPlatform.Billing.Rules;

namespace CcmPlatform.Billing.Rules.Tests;

/// <summary>R-FEE-1: fee schedules are data; the CMS-derived CSV is read exactly, or refused with a FormatException.</summary>
public sealed class FeeScheduleCsvTests
{
    [Fact]
    [Trait("Rule", "R-FEE-1")]
    public void GivenQuotedFieldsWithCommasAndEscapedQuotes_WhenParsed_ThenColumnsStayAligned()
    {
        const string csv = "hcpcs,label,nonfac_total_rvu,conv_factor\n"
            + "\"99490\",\"CCM, staff \"\"first\"\" 20 min\",1.87,\"32.3465\"\n"
            + "99439,\"\"\"each\"\" addl\",\"1.42\",32.3465";

        var fs = FeeSchedule.Parse(csv, 2025);

        Assert.Equal(6049, fs.PriceCents("99490", false));
        Assert.Equal(4593, fs.PriceCents("99439", false));
        Assert.Equal(2, fs.TotalRvus.Count);
        Assert.Equal(32.3465m, fs.ConversionFactor);
    }

    [Fact]
    [Trait("Rule", "R-FEE-1")]
    public void GivenBlankLinesAndARowWithoutACode_WhenParsed_ThenTheyAreSkipped()
    {
        const string csv = "\r\n  \r\nhcpcs,nonfac_total_rvu,conv_factor\r\n99490,1.87,32.3465\r\n\r\n,9.99,32.3465\r\n99491,2.54,32.3465\r\n";

        var fs = FeeSchedule.Parse(csv, 2025);

        Assert.Equal(new[] { "99490", "99491" }, fs.TotalRvus.Keys.Order().ToArray());
        Assert.Equal(8216, fs.PriceCents("99491", false));
        Assert.Null(fs.PriceCents("99439", false));
    }

    [Fact]
    [Trait("Rule", "R-FEE-1")]
    public void GivenAPerRowQpConversionFactorColumn_WhenParsed_ThenQualifyingApmParticipantsArePricedWithIt()
    {
        // The QP column first, and a later row shorter than the header that omits it.
        const string csv = "qp_conv_factor,hcpcs,nonfac_total_rvu,conv_factor,note\n"
            + "33.0,99490,1.87,32.3465,x\n"
            + ",99439,1.42,32.3465";

        var fs = FeeSchedule.Parse(csv, 2026);

        Assert.Equal(33.0m, fs.QpConversionFactor);
        Assert.Equal(6171, fs.PriceCents("99490", true)); // 1.87 × 33 = 61.71
        Assert.Equal(6049, fs.PriceCents("99490", false));
        Assert.Equal(4686, fs.PriceCents("99439", true));
    }

    [Fact]
    [Trait("Rule", "R-FEE-1")]
    public void GivenAnExplicitQpConversionFactor_WhenTheCsvAlsoHasOne_ThenTheExplicitOneWins()
    {
        const string csv = "hcpcs,nonfac_total_rvu,conv_factor,qp_conv_factor\n99490,1.87,32.3465,33.0\n";

        var fs = FeeSchedule.Parse(csv, 2026, 34.0m);

        Assert.Equal(34.0m, fs.QpConversionFactor);
        Assert.Equal(6358, fs.PriceCents("99490", true)); // 1.87 × 34 = 63.58
    }

    [Fact]
    [Trait("Rule", "R-FEE-1")]
    public void GivenNoQpConversionFactor_WhenPricingForAQualifyingApmParticipant_ThenTheStandardPriceApplies()
    {
        const string csv = "hcpcs,nonfac_total_rvu,conv_factor,qp_conv_factor\n99490,1.87,32.3465,  \n";

        var fs = FeeSchedule.Parse(csv, 2025);

        Assert.Null(fs.QpConversionFactor);
        Assert.Equal(6049, fs.PriceCents("99490", true));
        Assert.Equal(6049, fs.PriceCents("99490", false));
    }

    [Fact]
    [Trait("Rule", "R-FEE-1")]
    public void GivenAScheduleWithAQpFactor_WhenPricingForOthers_ThenTheStandardFactorApplies()
    {
        var fs = new FeeSchedule(2026, 32.3465m, 33.0m, new Dictionary<string, decimal> { ["99490"] = 1.87m });

        Assert.Equal(6049, fs.PriceCents("99490", false));
        Assert.Equal(6171, fs.PriceCents("99490", true));
        Assert.Null(fs.PriceCents("99491", true));
    }

    [Theory]
    [Trait("Rule", "R-FEE-1")]
    [InlineData("hcpcs,nonfac_total_rvu,conv_factor\n99490,1.87")]
    [InlineData("hcpcs,conv_factor,nonfac_total_rvu\n99490,32.3465")]
    [InlineData("nonfac_total_rvu,conv_factor,hcpcs\n1.87,32.3465")]
    [InlineData("hcpcs,nonfac_total_rvu,conv_factor\n99490,1.87,32.3465\n99439,1.42,33.0")]
    [InlineData("hcpcs,nonfac_total_rvu,conv_factor\n\n")]
    [InlineData("hcpcs,nonfac_total_rvu\n99490,1.87")]
    [InlineData("nonfac_total_rvu,conv_factor\n1.87,32.3465")]
    [InlineData("hcpcs,conv_factor\n99490,32.3465")]
    [InlineData("hcpcs,nonfac_total_rvu,conv_factor\n99490,abc,32.3465")]
    [InlineData(" \n \n")]
    public void GivenMalformedCsv_WhenParsed_ThenAFormatExceptionIsThrown(string csv)
    {
        Assert.Throws<FormatException>(() => FeeSchedule.Parse(csv, 2025));
    }

    [Fact]
    [Trait("Rule", "R-FEE-1")]
    public void GivenNoCsvOrANonPositiveConversionFactor_WhenBuilt_ThenItIsRefused()
    {
        Assert.Throws<ArgumentNullException>(() => FeeSchedule.Parse(null!, 2025));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FeeSchedule(2025, 0m, null, new Dictionary<string, decimal>()));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FeeSchedule(2025, -1m, null, new Dictionary<string, decimal>()));
    }

    [Fact]
    [Trait("Rule", "R-CODE-6")]
    public void GivenAnMueTableWithoutEntries_WhenStaffTimeIsLong_ThenAddOnsAreUncapped()
    {
        var b = FactsBuilder.For(2025, 3).Staff(100);
        b.Mue = new MueTable(new Dictionary<string, int>());

        var c = OutcomeAssert.Claim(BillingEngine.Evaluate(b.Build()), ("99490", 1), ("99439", 4));

        Assert.Empty(c.Explanation.BeyondCap);
        Assert.Null(b.Mue.CapFor("99439"));
    }

    [Theory]
    [Trait("Rule", "R-FEE-1")]
    [InlineData("99490,-1.87,32.3465", "nonfac_total_rvu")]
    [InlineData("99490,0,32.3465", "nonfac_total_rvu")]
    [InlineData("99490,1.87,0", "conv_factor")]
    [InlineData("99490,1.87,-32.3465", "conv_factor")]
    [InlineData("99091,-0.5,32.3465", "nonfac_total_rvu")]
    public void GivenARowWithAZeroOrNegativeRvuOrConversionFactor_WhenParsed_ThenItIsRefusedNamingTheLineAndColumn(string row, string column)
    {
        var csv = "hcpcs,nonfac_total_rvu,conv_factor\n99439,1.42,32.3465\n" + row + "\n";

        var ex = Assert.Throws<FormatException>(() => FeeSchedule.Parse(csv, 2025));

        Assert.Contains($"line 3, column {column}", ex.Message);
    }

    [Fact]
    [Trait("Rule", "R-FEE-1")]
    public void GivenABundledCodeTheEngineNeverBillsAtZeroRvu_WhenParsed_ThenTheScheduleIsAccepted()
    {
        var fs = FeeSchedule.Parse("hcpcs,nonfac_total_rvu,conv_factor\n99490,1.87,32.3465\n99091,0.00,32.3465\n", 2025);

        Assert.Equal(6049, fs.PriceCents("99490", false));
        Assert.Equal(0, fs.PriceCents("99091", false));
    }

    [Theory]
    [Trait("Rule", "R-CODE-6")]
    [InlineData("99490", true)]
    [InlineData("99439", true)]
    [InlineData("99427", true)]
    [InlineData("G0558", true)]
    [InlineData("XYZ", false)]
    [InlineData("99495", false)]
    public void GivenACode_WhenAskedIfThePlatformBillsIt_ThenOnlyCodesTheEngineEmitsAre(string code, bool billed)
    {
        Assert.Equal(billed, Codes.IsBilled(code));
    }
}
