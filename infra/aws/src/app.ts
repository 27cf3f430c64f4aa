import { App, type AppProps } from 'aws-cdk-lib';
import { addComplianceChecks } from './compliance.ts';
import { featureFlags } from './feature-flags.ts';
import { deliveryConfigFor, deployRoleArn, platformStackName } from './config/delivery.ts';
import { loadConfig } from './config/load-config.ts';
import { RolloutGateAccess } from './constructs/rollout-gate-access.ts';
import { DeliveryBootstrapStack } from './stacks/delivery-bootstrap-stack.ts';
import { OrderPlatformStack } from './stacks/order-platform-stack.ts';

export interface OrderPlatformApp {
  readonly app: App;
  /** What the pipeline deploys: infrastructure and the order service chart. */
  readonly stack: OrderPlatformStack;
  /** Deployed once by an administrator: the pipeline's own identity (tools/delivery). */
  readonly deliveryStack: DeliveryBootstrapStack;
}

/** Builds the whole CDK app for the environment named in the context (`-c env=dev|prod`). */
export function buildApp(props: AppProps = {}): OrderPlatformApp {
  const app = new App({ ...props, postCliContext: { ...featureFlags, ...props.postCliContext } });
  // Validated before any construct exists: a bad value stops here with the field's name.
  const config = loadConfig({
    env: app.node.tryGetContext('env'),
    imageTag: app.node.tryGetContext('imageTag'),
    imageDigest: app.node.tryGetContext('imageDigest'),
    workload: app.node.tryGetContext('workload'),
  });
  const delivery = deliveryConfigFor(config.envName);
  addComplianceChecks(app);
  const stack = new OrderPlatformStack(app, platformStackName(config.envName), { config });
  const deliveryStack = new DeliveryBootstrapStack(app, `mallhive-delivery-${config.envName}`, {
    config,
    delivery,
  });
  // The deploy role exists before the platform stack (bootstrap first): referred to by ARN, so the
  // stacks stay independent and the pipeline never needs to deploy the bootstrap stack.
  new RolloutGateAccess(stack, 'RolloutGateAccess', {
    cluster: stack.cluster,
    namespace: stack.serviceNamespace,
    namespaceName: config.serviceNamespace,
    readerRoleArn: deployRoleArn(config),
  });
  return { app, stack, deliveryStack };
}
