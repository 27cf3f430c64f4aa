import { DEV_ANALYTICS_API_KEY, DEV_PAYMENT_CALLBACK_SECRET } from '@mallhive/order-contracts';
import { configPart } from './part.ts';
import type { Problems } from './problems.ts';
import { secretWeakness } from './secret-strength.ts';
import { optionalText } from './variables.ts';

/** A value given directly, or the id of an AWS Secrets Manager secret that holds it. */
export type SecretSource = { value: string } | { secretId: string };

/** Dev-mode default that is public knowledge; production must bring its own. */
export const DEV_CURSOR_SECRET = 'dev-cursor-secret';

/** Keys anyone can read in this repository: production refuses them. */
export const DEVELOPMENT_KEYS: readonly string[] = [
  DEV_PAYMENT_CALLBACK_SECRET,
  DEV_CURSOR_SECRET,
  DEV_ANALYTICS_API_KEY,
];

/**
 * A secret from `valueName` or from the Secrets Manager id in `idName`, never both. Outside production
 * it falls back to `devDefault` when there is one; production always needs its own, and a strong one.
 */
export function secretSource(
  problems: Problems,
  production: boolean,
  value: { readonly name: string; readonly text: string | undefined },
  id: { readonly name: string; readonly text: string | undefined },
  devDefault?: string,
): SecretSource {
  if (value.text && id.text)
    problems.add(value.name, `set either ${value.name} or ${id.name}, not both`);
  if (id.text) return { secretId: id.text };
  if (value.text) {
    // A key read from Secrets Manager is checked once it is read (server.ts, assertStrongSecret).
    const weakness = production ? secretWeakness(value.text, DEVELOPMENT_KEYS) : undefined;
    if (weakness) problems.add(value.name, weakness);
    return { value: value.text };
  }
  if (production || devDefault === undefined) {
    problems.add(value.name, `is required${production ? ' in production' : ''} (or ${id.name})`);
    return { value: '' };
  }
  return { value: devDefault };
}

/** The service's own keys: the payment callback's HMAC key and the pagination cursors' signing key. */
export const secrets = configPart({
  variables: {
    PAYMENT_CALLBACK_SECRET: optionalText,
    PAYMENT_CALLBACK_SECRET_ID: optionalText,
    CURSOR_SECRET: optionalText,
    CURSOR_SECRET_ID: optionalText,
  },
  build(env, problems, { production }) {
    return {
      paymentCallbackSecret: secretSource(
        problems,
        production,
        { name: 'PAYMENT_CALLBACK_SECRET', text: env.PAYMENT_CALLBACK_SECRET },
        { name: 'PAYMENT_CALLBACK_SECRET_ID', text: env.PAYMENT_CALLBACK_SECRET_ID },
        DEV_PAYMENT_CALLBACK_SECRET,
      ),
      cursorSecret: secretSource(
        problems,
        production,
        { name: 'CURSOR_SECRET', text: env.CURSOR_SECRET },
        { name: 'CURSOR_SECRET_ID', text: env.CURSOR_SECRET_ID },
        DEV_CURSOR_SECRET,
      ),
    };
  },
});
