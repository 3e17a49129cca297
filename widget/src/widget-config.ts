import type { WidgetConfig } from '@parley/contracts';
import { isRecord, requestJson, type ServerRequestOptions } from './server-request.js';

/** The consent a persona asks for before the microphone opens. */
export type ConsentRequest = NonNullable<WidgetConfig['consent']>;

/**
 * `GET /v1/widget-config?persona=…`: what the widget must show before it asks for a session.
 * Rejects like `requestSession`.
 */
export function requestWidgetConfig(
  persona: string,
  options: Partial<ServerRequestOptions> = {},
): Promise<WidgetConfig> {
  return requestJson(
    `/v1/widget-config?persona=${encodeURIComponent(persona)}`,
    undefined,
    isWidgetConfig,
    options,
  );
}

function isWidgetConfig(value: unknown): value is WidgetConfig {
  // only the consent matters to the widget
  if (!isRecord(value)) return false;
  const consent = value['consent'];
  return (
    consent === undefined ||
    (isRecord(consent) &&
      typeof consent['text'] === 'string' &&
      typeof consent['version'] === 'string')
  );
}
