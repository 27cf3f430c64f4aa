import {
  DEV_ANALYTICS_API_KEY,
  peerNames,
  peerServices,
  type PeerName,
} from '@mallhive/order-contracts';
import { configPart } from './part.ts';
import { plaintextBearerProblem } from './peer-transport.ts';
import { secretSource, type SecretSource } from './secrets.ts';
import { httpUrl, integer, optionalText } from './variables.ts';

type UrlSetting<Peer extends PeerName> = (typeof peerServices)[Peer]['urlSetting'];

/** `PRODUCT_SERVICE_URL` … : the settings are named in libs/order-contracts, which infra/k8s sets too. */
const urlVariables = Object.fromEntries(
  peerNames.map((peer) => [peerServices[peer].urlSetting, httpUrl.optional()]),
) as { [Peer in PeerName as UrlSetting<Peer>]: ReturnType<typeof httpUrl.optional> };

/** The four peer services: simulated in process (outside production), or real ones over HTTP. */
export const peers = configPart({
  variables: {
    ...urlVariables,
    ANALYTICS_API_KEY: optionalText,
    ANALYTICS_SECRET_ID: optionalText,
    PEER_TIMEOUT_MS: integer(1, 120_000).default(3_000),
    SIMULATED_PEER_LATENCY_MS: integer(0, 60_000).default(0),
    SIMULATED_PAYMENT_DELAY_MS: integer(0, 600_000).default(200),
  },
  build(env, problems, { production }) {
    const url = (peer: PeerName) => env[peerServices[peer].urlSetting];
    const configured = peerNames.filter((peer) => url(peer)).length;
    if (configured === 0 && !production) {
      return {
        peers: {
          kind: 'simulated' as const,
          latencyMs: env.SIMULATED_PEER_LATENCY_MS,
          paymentCallbackDelayMs: env.SIMULATED_PAYMENT_DELAY_MS,
        },
      };
    }
    // Real peers are all-or-nothing: half-simulated wiring would hide a missing setting.
    for (const peer of peerNames) {
      problems.require(
        peerServices[peer].urlSetting,
        url(peer),
        production ? 'is required in production' : 'is required once any peer URL is set',
      );
    }
    const analyticsApiKey: SecretSource = secretSource(
      problems,
      production,
      { name: 'ANALYTICS_API_KEY', text: env.ANALYTICS_API_KEY },
      { name: 'ANALYTICS_SECRET_ID', text: env.ANALYTICS_SECRET_ID },
      production ? undefined : DEV_ANALYTICS_API_KEY,
    );
    const analyticsUrl = url('analytics');
    if (production && analyticsUrl) {
      const problem = plaintextBearerProblem(analyticsUrl);
      if (problem) problems.add('ANALYTICS_SERVICE_URL', problem);
    }
    return {
      peers: {
        kind: 'http' as const,
        productUrl: url('product') ?? '',
        paymentUrl: url('payment') ?? '',
        notificationUrl: url('notification') ?? '',
        analyticsUrl: url('analytics') ?? '',
        analyticsApiKey,
        timeoutMs: env.PEER_TIMEOUT_MS,
      },
    };
  },
});
