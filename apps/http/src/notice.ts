/** How to pass the generated token: the file, a CLI command and a JSON client config (the token
 *  itself is never printed). */
export function tokenNotice(url: string, tokenFile: string): string {
  const json = JSON.stringify({
    mcpServers: {
      jupyter: { type: 'http', url, headers: { Authorization: 'Bearer <contents of the token file>' } },
    },
  });
  return [
    `jupyter-mcp http: no --auth-token given, so a bearer token was generated and written to`,
    `  ${tokenFile}   (mode 0600, readable only by you; a new one at each start — set --auth-token or JUPYTER_MCP_AUTH_TOKEN to keep one)`,
    `Clients must send it as "Authorization: Bearer <token>", for example:`,
    `  claude mcp add --transport http jupyter ${url} --header "Authorization: Bearer $(cat '${tokenFile}')"`,
    `  ${json}`,
    '',
  ].join('\n');
}
