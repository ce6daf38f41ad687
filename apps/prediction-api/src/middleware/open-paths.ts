// The paths that stay open whatever is configured: load balancers and orchestrators call the probes without a key,
// and a throttled probe would take a healthy instance out of service.
export const probePaths: ReadonlySet<string> = new Set(['/health', '/ready', '/v2/health/live', '/v2/health/ready']);

export const metricsPath = '/metrics';

export const isProbe = (path: string): boolean => probePaths.has(path);
