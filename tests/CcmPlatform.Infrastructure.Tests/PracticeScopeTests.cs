using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json.Nodes;
using CcmPlatform.Infrastructure.Http;
using CcmPlatform.Infrastructure.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CcmPlatform.Infrastructure.Tests;

/// <summary>
/// A non-admin caller reaches only its practice (claim, else roster membership); others' records answer 404
/// PRACTICE_SCOPE, a caller with neither gets 403 NOT_ON_ROSTER, and clinical writes need the roster.
/// </summary>
public sealed class PracticeScopeTests : IAsyncLifetime
{
    private static readonly Guid PracticeA = Guid.NewGuid();
    private static readonly Guid PracticeB = Guid.NewGuid();
    private static readonly Guid PatientOfA = Guid.NewGuid();
    private static readonly Guid PatientOfB = Guid.NewGuid();
    private static readonly Guid MemberOfA = Guid.NewGuid();

    private WebApplication _app = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseTestServer();
        builder.Services.AddCcmProblemDetails();
        builder.Services.AddAuthorizationBuilder().AddPolicy(Policies.Clinical, p => p.RequireRole(Roles.CareCoordinator, Roles.Practitioner, Roles.Admin));
        builder.Services.AddSingleton<IPracticeDirectory>(new Directory(new() { [PatientOfA] = PracticeA, [PatientOfB] = PracticeB }, new() { [MemberOfA] = PracticeA }));
        _app = builder.Build();
        _app.UseCcmProblemDetails();

        // Stands in for bearer authentication: "role[,practice[,subject]]" in a test header becomes the principal.
        _app.Use((http, next) =>
        {
            if (http.Request.Headers["X-Test-Caller"].ToString() is { Length: > 0 } caller)
            {
                var parts = caller.Split(',');
                var claims = new List<Claim> { new(ClaimTypes.Role, parts[0]) };
                if (parts.Length > 1 && parts[1].Length > 0)
                {
                    claims.Add(new Claim(CallerExtensions.PracticeClaim, parts[1]));
                }

                if (parts.Length > 2)
                {
                    claims.Add(new Claim(CallerExtensions.SubjectClaim, parts[2]));
                }

                http.User = new ClaimsPrincipal(new ClaimsIdentity(claims, "test"));
            }

            return next(http);
        });
        _app.UseAuthorization();

        var api = _app.MapGroup("/api/things").RequirePracticeScope<Directory>();
        api.MapGet("/practices/{practiceId:guid}/list", (Guid practiceId) => TypedResults.Ok(practiceId));
        api.MapGet("/patients/{patientId:guid}", (Guid patientId) => TypedResults.Ok(patientId));
        api.MapPost("/patients", async (Body body, ClaimsPrincipal user, IPracticeDirectory practices, CancellationToken ct)
            => await PracticeScope.RefuseAsync(user, practices, "patientId", body.PatientId, ct) is { } refused
                ? (IResult)refused
                : TypedResults.Created($"/api/things/patients/{body.PatientId}", body));
        api.MapPost("/patients/{patientId:guid}/notes", (Guid patientId) => TypedResults.Created($"/api/things/patients/{patientId}/notes", patientId)).RequireAuthorization(Policies.Clinical);
        await _app.StartAsync();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("/api/things/practices/{B}/list", "practiceId")]
    [InlineData("/api/things/patients/{PB}", "patientId")]
    public async Task GivenATokenScopedToPracticeA_WhenReadingPracticeBsRecord_Then404NamingFieldAndRule(string route, string field)
    {
        var response = await Client(Roles.CareCoordinator, PracticeA).GetAsync(Expand(route));

        await AssertOutOfScope(response, field);
    }

    [Theory]
    [InlineData("/api/things/practices/{A}/list")]
    [InlineData("/api/things/patients/{PA}")]
    [InlineData("/api/things/patients/00000000-0000-0000-0000-000000000001")] // unknown: the handler decides
    public async Task GivenATokenScopedToPracticeA_WhenReadingItsOwnOrAnUnknownRecord_ThenTheHandlerRuns(string route)
    {
        var response = await Client(Roles.CareCoordinator, PracticeA).GetAsync(Expand(route));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task GivenATokenScopedToPracticeA_WhenPostingABodyNamingPracticeBsPatient_Then404()
    {
        var client = Client(Roles.CareCoordinator, PracticeA);

        await AssertOutOfScope(await client.PostAsJsonAsync("/api/things/patients", new Body(PatientOfB)), "patientId");
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/things/patients", new Body(PatientOfA))).StatusCode);
    }

    [Fact]
    public async Task GivenAnAdmin_WhenReadingAnyPractice_ThenUnscoped()
    {
        var client = Client(Roles.Admin, PracticeA);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/things/patients/{PatientOfB}")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/things/patients", new Body(PatientOfB))).StatusCode);
    }

    [Fact]
    public async Task GivenARosterMemberWithoutPracticeClaim_WhenReading_ThenScopedToItsRostersPractice()
    {
        var client = Client(Roles.CareCoordinator, null, MemberOfA);

        await AssertOutOfScope(await client.GetAsync($"/api/things/patients/{PatientOfB}"), "patientId");
        await AssertOutOfScope(await client.PostAsJsonAsync("/api/things/patients", new Body(PatientOfB)), "patientId");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/things/patients/{PatientOfA}")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync($"/api/things/patients/{PatientOfA}/notes", null)).StatusCode);
    }

    [Fact]
    public async Task GivenANonAdminWithNeitherClaimNorRoster_WhenCallingAnyRoute_Then403NotOnRoster()
    {
        var client = Client(Roles.CareCoordinator, null, Guid.NewGuid());

        await AssertNotOnRoster(await client.GetAsync($"/api/things/patients/{PatientOfA}"));
        await AssertNotOnRoster(await client.GetAsync($"/api/things/practices/{PracticeA}/list"));
    }

    [Fact]
    public async Task GivenAPracticeClaimButNoRosterMembership_WhenWritingClinically_Then403ErrorsNamesTheTokenAsTheFieldAtFault()
    {
        var client = Client(Roles.CareCoordinator, PracticeA, Guid.NewGuid());

        var response = await client.PostAsync($"/api/things/patients/{PatientOfA}/notes", null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(PracticeScope.RosterRule, problem["rule"]!.GetValue<string>());
        Assert.Contains("roster", problem["errors"]!["Authorization"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task GivenAPracticeClaimButNoRosterMembership_WhenWritingClinically_Then403NotOnRoster_AndReadsStillWork()
    {
        var client = Client(Roles.CareCoordinator, PracticeA, Guid.NewGuid());

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/things/patients/{PatientOfA}")).StatusCode);
        await AssertNotOnRoster(await client.PostAsync($"/api/things/patients/{PatientOfA}/notes", null));
    }

    [Fact]
    public async Task GivenAPracticeClaimThatIsNotAnId_WhenReadingAnyPatient_Then404()
    {
        var client = _app.GetTestClient();
        client.DefaultRequestHeaders.Add("X-Test-Caller", $"{Roles.CareCoordinator},not-a-guid");

        await AssertOutOfScope(await client.GetAsync($"/api/things/patients/{PatientOfA}"), "patientId");
    }

    private HttpClient Client(string role, Guid? practice, Guid? subject = null)
    {
        var client = _app.GetTestClient();
        client.DefaultRequestHeaders.Add("X-Test-Caller", $"{role},{practice},{subject}");
        return client;
    }

    private static async Task AssertNotOnRoster(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(PracticeScope.RosterRule, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["rule"]!.GetValue<string>());
    }

    private static string Expand(string route) => route
        .Replace("{A}", PracticeA.ToString()).Replace("{B}", PracticeB.ToString())
        .Replace("{PA}", PatientOfA.ToString()).Replace("{PB}", PatientOfB.ToString());

    private static async Task AssertOutOfScope(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(PracticeScope.Rule, problem["rule"]!.GetValue<string>());
        Assert.NotNull(problem["errors"]![field]);
    }

    public sealed record Body(Guid PatientId);

    /// <summary>In-memory patient → practice map (a pure unit test; services use their own tables).</summary>
    private sealed class Directory(Dictionary<Guid, Guid> practiceOfPatient, Dictionary<Guid, Guid> practiceOfMember) : IPracticeDirectory
    {
        public Task<Guid?> PracticeOfAsync(string key, Guid id, CancellationToken ct)
            => Task.FromResult(key switch
            {
                "patientId" => practiceOfPatient.TryGetValue(id, out var p) ? p : (Guid?)null,
                PracticeScope.RosterKey => practiceOfMember.TryGetValue(id, out var m) ? m : (Guid?)null,
                _ => null,
            });
    }
}
