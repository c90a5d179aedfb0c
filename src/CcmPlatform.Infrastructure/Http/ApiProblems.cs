using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CcmPlatform.Infrastructure.Http;

/// <summary>
/// RFC 9457 problems that name the offending field and the rule it broke, so a front end can put
/// the message next to the right input and a reviewer can look the rule up in docs/rules.md.
/// </summary>
public static class ApiProblems
{
    public static ProblemHttpResult BadRequest(string field, string rule, string detail) => Create(StatusCodes.Status400BadRequest, "The request is malformed.", field, rule, detail);

    public static ProblemHttpResult Unprocessable(string field, string rule, string detail) => Create(StatusCodes.Status422UnprocessableEntity, "The request breaks a rule.", field, rule, detail);

    /// <summary>A 422 naming several fields at once, each with its own message.</summary>
    public static ProblemHttpResult Unprocessable(IReadOnlyDictionary<string, string> errors, string rule, string detail) => TypedResults.Problem(
        statusCode: StatusCodes.Status422UnprocessableEntity,
        title: "The request breaks a rule.",
        detail: detail,
        extensions: new Dictionary<string, object?>
        {
            ["rule"] = rule,
            ["errors"] = errors.ToDictionary(e => e.Key, e => new[] { e.Value }),
        });

    public static ProblemHttpResult Conflict(string field, string rule, string detail) => Create(StatusCodes.Status409Conflict, "The request conflicts with existing data.", field, rule, detail);

    public static ProblemHttpResult NotFound(string field, string detail) => Create(StatusCodes.Status404NotFound, "Not found.", field, "NOT_FOUND", detail);

    /// <summary>
    /// A 403 decided by a handler: <paramref name="field"/> is the body member at fault (staffId), or
    /// Authorization when it is the caller the token names.
    /// </summary>
    public static ProblemHttpResult Forbidden(string field, string rule, string detail) => Create(StatusCodes.Status403Forbidden, "Not allowed.", field, rule, detail);

    public static ProblemHttpResult PreconditionFailed(string detail) => Create(StatusCodes.Status412PreconditionFailed, "The resource has changed.", "If-Match", "CONCURRENCY", detail);

    public static ProblemHttpResult Create(int status, string title, string field, string rule, string detail) => TypedResults.Problem(
        statusCode: status,
        title: title,
        detail: detail,
        extensions: new Dictionary<string, object?>
        {
            ["rule"] = rule,
            ["errors"] = new Dictionary<string, string[]> { [field] = [detail] },
        });
}

/// <summary>Thrown by domain code for a rule violation; the exception handler turns it into a problem, never a 500.</summary>
public sealed class RuleViolationException(int status, string field, string rule, string detail) : Exception(detail)
{
    public int Status { get; } = status;

    public string Field { get; } = field;

    public string Rule { get; } = rule;

    public static RuleViolationException Unprocessable(string field, string rule, string detail) => new(StatusCodes.Status422UnprocessableEntity, field, rule, detail);

    public static RuleViolationException BadRequest(string field, string rule, string detail) => new(StatusCodes.Status400BadRequest, field, rule, detail);

    public static RuleViolationException Conflict(string field, string rule, string detail) => new(StatusCodes.Status409Conflict, field, rule, detail);

    public static RuleViolationException NotFound(string field, string detail) => new(StatusCodes.Status404NotFound, field, "NOT_FOUND", detail);
}
