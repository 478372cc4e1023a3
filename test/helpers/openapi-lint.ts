// The OpenAPI document held to two linters nobody here wrote: Spectral with its `spectral:oas`
// ruleset and Redocly with its `recommended` rules. Each returns its findings as lines
// ("severity rule at path: message"); an empty list is a clean document.
import { createConfig, lintFromString } from '@redocly/openapi-core';
import spectralCore from '@stoplight/spectral-core';
import spectralParsers from '@stoplight/spectral-parsers';
import { oas } from '@stoplight/spectral-rulesets';

const { Document, Spectral } = spectralCore;
const { Json } = spectralParsers;
const SPECTRAL_SEVERITY = ['error', 'warning', 'info', 'hint'];

/** Spectral's `spectral:oas` findings of every severity (errors, warnings, infos, hints). */
export async function spectralFindings(document: object): Promise<string[]> {
  const spectral = new Spectral();
  spectral.setRuleset({ extends: [[oas as never, 'recommended']] } as never);
  const results = await spectral.run(new Document(JSON.stringify(document, null, 2), Json));
  return results.map(
    (result) => `${SPECTRAL_SEVERITY[result.severity]} ${result.code} at ${result.path.join('.')}: ${result.message}`,
  );
}

/** Redocly's `recommended` findings (errors and warnings). */
export async function redoclyFindings(document: object): Promise<string[]> {
  const config = await createConfig({ extends: ['recommended'] });
  const problems = await lintFromString({
    source: JSON.stringify(document, null, 2),
    absoluteRef: 'openapi.json',
    config,
  });
  return problems.map(
    (problem) =>
      `${problem.severity} ${problem.ruleId} at ${problem.location.map((location) => location.pointer).join(', ')}: ${problem.message}`,
  );
}
