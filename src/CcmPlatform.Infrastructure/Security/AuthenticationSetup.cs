using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace CcmPlatform.Infrastructure.Security;

/// <summary>
/// Every service validates bearer tokens itself. In development the tokens are signed with a key
/// generated per installation (Auth:SigningKey, never committed); in production Auth:Authority
/// points at the health system's OIDC provider.
/// </summary>
public static class AuthenticationSetup
{
    public const string DevelopmentIssuer = "ccm-dev";
    public const string Audience = "ccm-api";

    public static IHostApplicationBuilder AddCcmAuthentication(this IHostApplicationBuilder builder)
    {
        var auth = builder.Configuration.GetSection("Auth");
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(o =>
            {
                o.MapInboundClaims = false;
                var authority = auth["Authority"];
                if (!string.IsNullOrWhiteSpace(authority))
                {
                    o.Authority = authority;
                    o.Audience = auth["Audience"] ?? Audience;
                    o.TokenValidationParameters.NameClaimType = CallerExtensions.SubjectClaim;
                    o.TokenValidationParameters.RoleClaimType = CallerExtensions.RoleClaim;
                    return;
                }

                var key = auth["SigningKey"];
                if (string.IsNullOrWhiteSpace(key))
                {
                    throw new InvalidOperationException("Auth:SigningKey (development) or Auth:Authority (production) must be configured.");
                }

                o.TokenValidationParameters = DevelopmentValidation(key);
            });

        builder.Services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Read, p => p.RequireRole(Roles.All))
            .AddPolicy(Policies.Clinical, p => p.RequireRole(Roles.CareCoordinator, Roles.Practitioner, Roles.Admin))
            .AddPolicy(Policies.Practitioner, p => p.RequireRole(Roles.Practitioner))
            .AddPolicy(Policies.Billing, p => p.RequireRole(Roles.Billing, Roles.Admin))
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin));
        return builder;
    }

    public static TokenValidationParameters DevelopmentValidation(string base64Key) => new()
    {
        ValidIssuer = DevelopmentIssuer,
        ValidAudience = Audience,
        IssuerSigningKey = new SymmetricSecurityKey(DecodeKey(base64Key)),
        NameClaimType = CallerExtensions.SubjectClaim,
        RoleClaimType = CallerExtensions.RoleClaim,
        ClockSkew = TimeSpan.FromSeconds(30),
    };

    public static byte[] DecodeKey(string base64Key)
    {
        try
        {
            return Convert.FromBase64String(base64Key.Trim());
        }
        catch (FormatException)
        {
            return Encoding.UTF8.GetBytes(base64Key.Trim());
        }
    }
}
