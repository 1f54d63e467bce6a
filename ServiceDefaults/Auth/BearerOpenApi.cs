using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace PublicSafety.ServiceDefaults.Auth;

/// <summary>
/// Every OpenAPI document describes the realm's bearer token and names it on each operation that needs one, so that an
/// interactive reference (the gateway's) offers a token field exactly where a call requires it.
/// </summary>
public static class BearerOpenApi
{
    public const string SchemeName = "Bearer";

    public static OpenApiOptions AddBearerSecurityScheme(this OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "An access token of the Keycloak realm public-safety: agency systems get one with the client-credentials grant.",
            };
            return Task.CompletedTask;
        });
        // The platform's fallback policy demands an authenticated caller, so every operation needs a token unless it allows anonymous callers.
        options.AddOperationTransformer((operation, context, _) =>
        {
            if (!context.Description.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any())
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = [] });
            }

            return Task.CompletedTask;
        });
        return options;
    }
}
