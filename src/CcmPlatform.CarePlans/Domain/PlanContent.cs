using System.Net;
using System.Text;
using System.Text.Json;
using CcmPlatform.Terminology;

namespace CcmPlatform.CarePlans.Domain;

public sealed record PlanProblem(string? Icd10, string? Description);

public sealed record PlanGoal(string? Description, string? Target, DateOnly? TargetDate);

public sealed record PlanIntervention(string? Description, Guid? ResponsibleRosterId);

/// <summary>The elements of a comprehensive care plan (R-PLAN-1).</summary>
public sealed record PlanContent(
    IReadOnlyList<PlanProblem> Problems,
    string? ExpectedOutcome,
    string? Prognosis,
    IReadOnlyList<PlanGoal> Goals,
    string? SymptomManagement,
    IReadOnlyList<PlanIntervention> Interventions,
    string? MedicationManagement,
    string? CommunityResources,
    string? Coordination,
    DateOnly? ReviewDate)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static PlanContent FromJson(string json) => JsonSerializer.Deserialize<PlanContent>(json, Json)!;

    public bool SameAs(PlanContent other) => ToJson() == other.ToJson();
}

/// <summary>The R-PLAN-1 completeness rule: every missing element, named by its JSON field.</summary>
public static class PlanRules
{
    public static IReadOnlyDictionary<string, string> MissingElements(PlanContent c)
    {
        var missing = new Dictionary<string, string>();
        void Need(bool ok, string field, string message)
        {
            if (!ok)
            {
                missing[field] = message;
            }
        }

        Need(c.Problems.Count > 0, "problems", "The problem list is empty.");
        for (var i = 0; i < c.Problems.Count; i++)
        {
            Need(!string.IsNullOrWhiteSpace(c.Problems[i].Description), $"problems[{i}].description", "Each problem needs a description.");
        }

        Need(!string.IsNullOrWhiteSpace(c.ExpectedOutcome), "expectedOutcome", "Expected outcome is missing.");
        Need(!string.IsNullOrWhiteSpace(c.Prognosis), "prognosis", "Prognosis is missing.");
        Need(c.Goals.Count > 0, "goals", "At least one measurable goal is needed.");
        for (var i = 0; i < c.Goals.Count; i++)
        {
            Need(!string.IsNullOrWhiteSpace(c.Goals[i].Description), $"goals[{i}].description", "Each goal needs a description.");
            Need(!string.IsNullOrWhiteSpace(c.Goals[i].Target), $"goals[{i}].target", "Each goal needs a measurable target.");
            Need(c.Goals[i].TargetDate is not null, $"goals[{i}].targetDate", "Each goal needs a target date.");
        }

        Need(!string.IsNullOrWhiteSpace(c.SymptomManagement), "symptomManagement", "Symptom management is missing.");
        Need(c.Interventions.Count > 0, "interventions", "At least one planned intervention is needed.");
        for (var i = 0; i < c.Interventions.Count; i++)
        {
            Need(!string.IsNullOrWhiteSpace(c.Interventions[i].Description), $"interventions[{i}].description", "Each intervention needs a description.");
            Need(c.Interventions[i].ResponsibleRosterId is { } r && r != Guid.Empty, $"interventions[{i}].responsibleRosterId", "Each intervention needs a responsible care-team member.");
        }

        Need(!string.IsNullOrWhiteSpace(c.MedicationManagement), "medicationManagement", "Medication management is missing.");
        Need(!string.IsNullOrWhiteSpace(c.CommunityResources), "communityResources", "Community/social services are missing.");
        Need(!string.IsNullOrWhiteSpace(c.Coordination), "coordination", "Coordination with other providers is missing.");
        Need(c.ReviewDate is not null, "reviewDate", "A periodic review date is missing.");
        return missing;
    }

    public const string DateInPastRule = "PLAN_DATE_IN_PAST";

    /// <summary>
    /// Goal target dates and the review date look forward: none may fall before the day the plan is drawn up
    /// (its occurredAt, as a date in the practice's zone). Dates that record what happened (signed, shared) are
    /// checked elsewhere against R-FACT-1 instead.
    /// </summary>
    public static IReadOnlyDictionary<string, string> DatesBefore(PlanContent c, DateOnly drawnUp)
    {
        var past = new Dictionary<string, string>();
        for (var i = 0; i < c.Goals.Count; i++)
        {
            if (c.Goals[i].TargetDate is { } d && d < drawnUp)
            {
                past[$"goals[{i}].targetDate"] = $"The goal's target date {d:yyyy-MM-dd} is before {drawnUp:yyyy-MM-dd}, the day the plan is drawn up.";
            }
        }

        if (c.ReviewDate is { } review && review < drawnUp)
        {
            past["reviewDate"] = $"The review date {review:yyyy-MM-dd} is before {drawnUp:yyyy-MM-dd}, the day the plan is drawn up.";
        }

        return past;
    }

    /// <summary>
    /// How far ahead a goal's target date or the review date may lie (DATE_OUT_OF_RANGE): long-term goals (an HbA1c,
    /// a weight) and reviews run for months or a few years; beyond five years the year is mistyped (9999, 2205).
    /// </summary>
    public const int ForwardYears = 5;

    /// <summary>Goal target dates and the review date more than <see cref="ForwardYears"/> after <paramref name="today"/>.</summary>
    public static IReadOnlyDictionary<string, string> DatesTooFarAhead(PlanContent c, DateOnly today)
    {
        var limit = today.AddYears(ForwardYears);
        var far = new Dictionary<string, string>();
        for (var i = 0; i < c.Goals.Count; i++)
        {
            if (c.Goals[i].TargetDate is { } d && d > limit)
            {
                far[$"goals[{i}].targetDate"] = $"The goal's target date {d:yyyy-MM-dd} is more than {ForwardYears} years from now (after {limit:yyyy-MM-dd}).";
            }
        }

        if (c.ReviewDate is { } review && review > limit)
        {
            far["reviewDate"] = $"The review date {review:yyyy-MM-dd} is more than {ForwardYears} years from now (after {limit:yyyy-MM-dd}).";
        }

        return far;
    }

    /// <summary>The copy given to the patient: plain HTML, every value encoded.</summary>
    public static string PatientCopyHtml(string patientName, PlanContent c, int version, DateTime? signedAt)
    {
        static string E(string? s) => WebUtility.HtmlEncode(s ?? "");
        var h = new StringBuilder();
        h.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Your care plan</title></head><body>");
        h.Append($"<h1>Care plan for {E(patientName)}</h1><p>Version {version}{(signedAt is { } s ? $", signed {s:yyyy-MM-dd}" : "")}</p>");
        h.Append("<h2>Your health problems</h2><ul>");
        foreach (var p in c.Problems)
        {
            h.Append($"<li>{E(p.Description)}{(string.IsNullOrWhiteSpace(p.Icd10) ? "" : $" ({E(Icd10CmCode.Dot(p.Icd10))})")}</li>");
        }

        h.Append("</ul>");
        h.Append($"<h2>What we expect</h2><p>{E(c.ExpectedOutcome)}</p><h2>Prognosis</h2><p>{E(c.Prognosis)}</p>");
        h.Append("<h2>Your goals</h2><ul>");
        foreach (var g in c.Goals)
        {
            h.Append($"<li>{E(g.Description)}: {E(g.Target)}{(g.TargetDate is { } d ? $" by {d:yyyy-MM-dd}" : "")}</li>");
        }

        h.Append("</ul>");
        h.Append($"<h2>Managing symptoms</h2><p>{E(c.SymptomManagement)}</p>");
        h.Append("<h2>What your care team will do</h2><ul>");
        foreach (var i in c.Interventions)
        {
            h.Append($"<li>{E(i.Description)}</li>");
        }

        h.Append("</ul>");
        h.Append($"<h2>Your medicines</h2><p>{E(c.MedicationManagement)}</p>");
        h.Append($"<h2>Community resources</h2><p>{E(c.CommunityResources)}</p>");
        h.Append($"<h2>Working with your other providers</h2><p>{E(c.Coordination)}</p>");
        h.Append($"<h2>Next review</h2><p>{(c.ReviewDate is { } r ? r.ToString("yyyy-MM-dd") : "")}</p>");
        h.Append("</body></html>");
        return h.ToString();
    }
}
