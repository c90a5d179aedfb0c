using System.Text.Json;
using CcmPlatform.Billing.Closing;
using CcmPlatform.Billing.Rules;

namespace CcmPlatform.Billing.Tests;

/// <summary>The close stores the explanation once, as compact JSON; what readers are shown must not change.</summary>
public sealed class ExplanationStorageTests
{
    private static Explanation Sample() => new(
        new ServiceMonth(2025, 3), CareProgram.Ccm, new DateOnly(2025, 3, 31), "practitioner-1",
        ["R-TIME-1", "R-CODE-4", "R-FEE-2"], 74, 35,
        [new NotCountedMinutes("entry-9", 12, NotCountableReason.Voided)],
        [
            new CandidateTrack(Track.CcmNonComplex, 74, 20, true, null,
                [new ClaimLine("99490", 1, 6049, 6049), new ClaimLine("99439", 2, 4593, 9186)], 15235, false),
            new CandidateTrack(Track.CcmComplex, 74, 60, true, null,
                [new ClaimLine("99487", 1, 13177, 13177), new ClaimLine("99489", 1, 7040, 7040)], 20217, true),
            new CandidateTrack(Track.CcmPractitioner, 35, 30, false, "the billing practitioner has no personal time", [], null, false),
        ],
        [new MinutesBeyondCap(Track.CcmNonComplex, "99439", 2, 14)],
        ["Coinsurance is 20% assuming the Part B deductible is met (R-FEE-2 policy)."]);

    [Fact]
    public void GivenAnExplanationStoredByTheClose_WhenShown_ThenTextAndJsonAreWhatTheEngineProduced()
    {
        var explanation = Sample();

        var stored = ExplanationJson.Serialize(explanation);

        Assert.Equal(explanation.ToText(), ExplanationJson.Text("", stored));
        Assert.Equal(JsonSerializer.Serialize(explanation, ExplanationJson.Options), ExplanationJson.Parse(stored)!.Value.GetRawText());
        Assert.DoesNotContain("winnerWhy", stored, StringComparison.Ordinal);
        Assert.True(stored.Length < JsonSerializer.Serialize(explanation, ExplanationJson.Options).Length);
    }

    [Fact]
    public void GivenARowWrittenBeforeTheCompactForm_WhenShown_ThenItsStoredTextAndFullJsonAreShownUnchanged()
    {
        var explanation = Sample();
        var full = JsonSerializer.Serialize(explanation, ExplanationJson.Options);

        Assert.Equal("stored text", ExplanationJson.Text("stored text", full));
        Assert.Equal(explanation.ToText(), ExplanationJson.Text("", full));
        Assert.Equal(full, ExplanationJson.Parse(full)!.Value.GetRawText());
    }

    [Fact]
    public void GivenNoExplanationStored_WhenShown_ThenTextIsEmptyAndJsonAbsent()
    {
        Assert.Equal("", ExplanationJson.Text("", ""));
        Assert.Null(ExplanationJson.Parse(""));
    }
}
