// CDK entry point (cdk.json: "node src/main.ts"). Usage: npx cdk synth -c env=dev|prod [-c imageTag=<git sha> | -c workload=false]
import { buildApp } from './app.ts';

buildApp().app.synth();
