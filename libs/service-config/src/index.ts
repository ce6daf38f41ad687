export {
  parseServiceConfig,
  scopeTag,
  serviceNameProblem,
  ServiceConfigError,
  type ServiceConfig,
  type ServiceEnvironment,
  type ServiceTarget,
} from './service-config';
