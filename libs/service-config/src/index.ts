export {
  parseServiceConfig,
  scopeTag,
  serviceNameProblem,
  ServiceConfigError,
  serviceTargets,
  type ServiceConfig,
  type ServiceEnvironment,
  type ServiceIssue,
  type ServiceTarget,
} from './service-config';
