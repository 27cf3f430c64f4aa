import { App, type AppProps } from 'aws-cdk-lib';
import { addComplianceChecks } from './compliance.ts';
import { featureFlags } from './feature-flags.ts';
import { loadConfig } from './config/load-config.ts';
import { OrderPlatformStack } from './stacks/order-platform-stack.ts';

/** Builds the whole CDK app for the environment named in the context (`-c env=dev|prod`). */
export function buildApp(props: AppProps = {}): { app: App; stack: OrderPlatformStack } {
  const app = new App({ ...props, postCliContext: { ...featureFlags, ...props.postCliContext } });
  // Validated before any construct exists: a bad value stops here with the field's name.
  const config = loadConfig({
    env: app.node.tryGetContext('env'),
    imageTag: app.node.tryGetContext('imageTag'),
    workload: app.node.tryGetContext('workload'),
  });
  addComplianceChecks(app);
  const stack = new OrderPlatformStack(app, `mallhive-order-platform-${config.envName}`, {
    config,
  });
  return { app, stack };
}
