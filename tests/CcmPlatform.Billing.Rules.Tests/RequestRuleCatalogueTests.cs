using System.Text.RegularExpressions;

namespace CcmPlatform.Billing.Rules.Tests;

/// <summary>
/// A front end reads a problem's <c>rule</c> and looks it up in docs/rules.md, so every id the services can
/// answer with must be listed there. The ids are found in the source rather than kept in a second list that
/// could drift as well.
/// </summary>
public sealed partial class RequestRuleCatalogueTests
{
    // The statement that builds a problem runs from the call to its semicolon; the rule id is a literal in it.
    [GeneratedRegex(@"(?:ApiProblems\.\w+|RuleViolationException\.\w+|new RuleViolationException)\s*\([^;]*", RegexOptions.Singleline)]
    private static partial Regex ProblemStatement();

    [GeneratedRegex(@"""(R-[A-Z]+-\d+|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[A-Z]{4,})""")]
    private static partial Regex RuleLiteral();

    // Ids handed around as constants (PracticeScope.RosterRule, RequestLimits.FieldTooLongRule…).
    [GeneratedRegex(@"const\s+string\s+\w*Rule\s*=\s*""([A-Z][A-Z0-9_-]+)""")]
    private static partial Regex RuleConstant();

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CcmPlatform.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"CcmPlatform.sln not found above {AppContext.BaseDirectory}");
    }

    internal static SortedSet<string> RuleIdsInSource(string root)
    {
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        var sep = Path.DirectorySeparatorChar;
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{sep}bin{sep}") || file.Contains($"{sep}obj{sep}") || file.Contains($"{sep}Migrations{sep}"))
            {
                continue;
            }

            var text = File.ReadAllText(file);
            foreach (Match statement in ProblemStatement().Matches(text))
            {
                foreach (Match literal in RuleLiteral().Matches(statement.Value))
                {
                    ids.Add(literal.Groups[1].Value);
                }
            }

            foreach (Match constant in RuleConstant().Matches(text))
            {
                ids.Add(constant.Groups[1].Value);
            }

            // The helpers that fix their own id (NotFound, PreconditionFailed) live in ApiProblems itself.
            if (Path.GetFileName(file) == "ApiProblems.cs")
            {
                foreach (Match literal in RuleLiteral().Matches(text))
                {
                    ids.Add(literal.Groups[1].Value);
                }
            }
        }

        return ids;
    }

    [Fact]
    public void GivenTheServiceSources_WhenRuleIdsInProblemsAreCollected_ThenDocsRulesMdListsEachOne()
    {
        var root = RepoRoot();
        var ids = RuleIdsInSource(root);
        // Guards the scan itself: if these vanish the patterns above no longer see the calls.
        Assert.Superset(new SortedSet<string> { "RXNORM", "NOT_FOUND", "PLAN_DATE_ORDER", "NOT_ON_ROSTER", "R-FACT-1", "CONCURRENCY" }, ids);

        var doc = File.ReadAllText(Path.Combine(root, "docs", "rules.md"));
        var missing = ids.Where(id => id.StartsWith("R-", StringComparison.Ordinal)
            ? !Regex.IsMatch(doc, $@"^\|\s*{Regex.Escape(id)}\s*\|", RegexOptions.Multiline)
            : !doc.Contains($"`{id}`", StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, $"Rule ids returned in problems but not listed in docs/rules.md: {string.Join(", ", missing)}");
    }
}
