/** `nx run order-client:generate`: (re)writes src/generated/order-service.ts from the committed document. */
import { writeFile } from 'node:fs/promises';
import { generateTypes, typesPath } from './order-service-types.ts';

await writeFile(typesPath, await generateTypes());
process.stdout.write(`wrote ${typesPath}\n`);
