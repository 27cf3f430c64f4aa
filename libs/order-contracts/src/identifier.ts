import { Type } from 'typebox';

/**
 * User and product ids: ASCII letters, digits and `- _ . : @`, starting with a letter or digit — enough for
 * UUIDs, slugs, URNs and e-mail-like ids, and nothing that renders invisibly or reorders text (bidi
 * overrides, zero-width characters), so two ids that look alike are alike.
 */
export const IdentifierSchema = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._:@-]*$',
  description: 'ASCII letters, digits and - _ . : @, starting with a letter or digit',
});
