// A POST to a mail provider's HTTP API (SendGrid, Mailgun), its failures as MailErrors.
import { MailError } from '../message.js';

export async function post(provider: string, url: string, init: RequestInit, timeoutMs: number): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, method: 'POST', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new MailError(
      `${provider}: the API at ${new URL(url).host} could not be reached (${(error as Error & { cause?: Error }).cause?.message ?? (error as Error).message})`,
      { cause: error },
    );
  }
  if (!response.ok)
    throw new MailError(
      `${provider} refused the message: HTTP ${response.status} ${(await response.text()).slice(0, 300)}`,
    );
  return response;
}
