using System.Text.Json;

namespace CcmPlatform.Medications.Domain;

public sealed record Finding(string Key, string RuleId, string Severity, string Summary);

public sealed record ActiveMedication(string RxNormCode, string Display);

/// <summary>
/// The authored interaction data (Data/interactions.json): ingredient-level rules and a product →
/// ingredient map. Pure: give it the active list, it returns the findings.
/// </summary>
public sealed class InteractionCatalog
{
    public const string CheckNotPossible = "interaction-check-not-possible";

    /// <summary>
    /// The same RxNorm product active more than once. Accepted rather than refused: imports legitimately carry
    /// refills and re-orders, and refusing would lose data; but a pharmacist reconciling the list must decide
    /// whether it is one order recorded twice or a real double dose.
    /// </summary>
    public const string DuplicateTherapy = "duplicate-therapy";

    private static readonly Lazy<InteractionCatalog> Lazy = new(Load);

    private readonly Dictionary<string, HashSet<string>> _productIngredients;
    private readonly HashSet<string> _knownIngredients;
    private readonly List<Rule> _rules;

    private InteractionCatalog(Dictionary<string, HashSet<string>> productIngredients, List<Rule> rules)
    {
        _productIngredients = productIngredients;
        _rules = rules;
        _knownIngredients = [.. rules.SelectMany(r => r.Objects.Concat(r.Precipitants))];
    }

    public static InteractionCatalog Default => Lazy.Value;

    public int ProductCount => _productIngredients.Count;

    public bool CanResolve(string rxcui) => _productIngredients.ContainsKey(rxcui) || _knownIngredients.Contains(rxcui);

    public IReadOnlyList<Finding> Check(IEnumerable<ActiveMedication> active)
    {
        var findings = new List<Finding>();
        var meds = active.ToList();
        foreach (var copies in meds.GroupBy(m => m.RxNormCode, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            // The key leaves out the count, so a third copy keeps the open alert rather than raising another.
            findings.Add(new Finding(
                $"{DuplicateTherapy}:{copies.Key}", DuplicateTherapy, "moderate",
                $"Duplicate therapy: RxNorm {copies.Key} ({copies.First().Display}) is active more than once on the list. Confirm whether it is one order recorded twice or a double dose, then stop the extra entry or acknowledge."));
        }

        var unresolvable = new HashSet<string>(StringComparer.Ordinal);
        var ingredients = new Dictionary<string, List<ActiveMedication>>();
        foreach (var med in meds)
        {
            IEnumerable<string> cuis;
            if (_productIngredients.TryGetValue(med.RxNormCode, out var mapped))
            {
                cuis = mapped;
            }
            else if (_knownIngredients.Contains(med.RxNormCode))
            {
                cuis = [med.RxNormCode];
            }
            else
            {
                // Never pass silently: an unknown drug could be an interacting one. One finding per code, however
                // many copies are active, because the finding's key is the code.
                if (unresolvable.Add(med.RxNormCode))
                {
                    findings.Add(new Finding($"{CheckNotPossible}:{med.RxNormCode}", CheckNotPossible, "info", $"Interaction check not possible: RxNorm {med.RxNormCode} ({med.Display}) is not in the product map."));
                }

                continue;
            }

            foreach (var cui in cuis)
            {
                (ingredients.TryGetValue(cui, out var list) ? list : ingredients[cui] = []).Add(med);
            }
        }

        foreach (var rule in _rules)
        {
            var objects = rule.Objects.Where(ingredients.ContainsKey).SelectMany(c => ingredients[c]).ToList();
            var precipitants = rule.Precipitants.Where(ingredients.ContainsKey).SelectMany(c => ingredients[c]).ToList();
            if (objects.Count == 0 || precipitants.Count == 0)
            {
                continue;
            }

            var codes = objects.Concat(precipitants).Select(m => m.RxNormCode).Distinct().Order(StringComparer.Ordinal);
            var drugs = string.Join(" + ", objects.Concat(precipitants).Select(m => m.Display).Distinct());
            findings.Add(new Finding($"{rule.Id}:{string.Join(',', codes)}", rule.Id, rule.Severity, $"{rule.Name}: {drugs}. {rule.Summary} What to do: {rule.Action}"));
        }

        return findings;
    }

    public static readonly IReadOnlySet<string> Severities = new HashSet<string>(StringComparer.Ordinal) { "high", "moderate" };

    private sealed record Rule(string Id, string Name, string Severity, string Summary, string Action, string Source, HashSet<string> Objects, HashSet<string> Precipitants);

    private static InteractionCatalog Load()
    {
        using var stream = typeof(InteractionCatalog).Assembly.GetManifestResourceStream("CcmPlatform.Medications.interactions.json")
            ?? throw new InvalidOperationException("interactions.json is not embedded.");
        using var doc = JsonDocument.Parse(stream);
        var root = doc.RootElement;
        static HashSet<string> Cuis(JsonElement list) => [.. list.EnumerateArray().Select(e => e.GetProperty("rxcui").GetString()!)];
        // A rule without its source, severity or advice must never reach a clinician: a bad file fails the first check loudly instead.
        static string Required(JsonElement rule, string name) =>
            rule.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString())
                ? v.GetString()!
                : throw new InvalidOperationException($"interactions.json: a rule has no '{name}'.");
        var rules = root.GetProperty("rules").EnumerateArray().Select(r => new Rule(
            Required(r, "id"), Required(r, "name"), Required(r, "severity"), Required(r, "summary"), Required(r, "action"), Required(r, "source"),
            Cuis(r.GetProperty("objects")), Cuis(r.GetProperty("precipitants")))).ToList();
        if (rules.FirstOrDefault(r => !Severities.Contains(r.Severity)) is { } badSeverity)
        {
            throw new InvalidOperationException($"interactions.json: rule {badSeverity.Id} has severity '{badSeverity.Severity}'.");
        }

        var products = new Dictionary<string, HashSet<string>>();
        foreach (var p in root.GetProperty("products").EnumerateArray())
        {
            // Ingredients without an RxCUI take part in no rule; the product still resolves.
            products[p.GetProperty("rxcui").GetString()!] = [.. p.GetProperty("ingredients").EnumerateArray()
                .Select(i => i.GetProperty("rxcui")).Where(c => c.ValueKind == JsonValueKind.String).Select(c => c.GetString()!)];
        }

        return new InteractionCatalog(products, rules);
    }
}
