import type { CapabilityProbe } from "../../sis/capabilities.ts";

// The result data of the capabilities tools: plain types the tools return and the presenters read.

export type CapabilitiesData = {
  configuredMode: string;
  effectiveMode: string;
  /** SIS base URL (never the key), or null when SIS is not configured. */
  baseUrl: string | null;
  checkedAt: string | null;
  cached: boolean;
  probes: CapabilityProbe[];
  summary: { supported: number; unsupported: number; misconfigured: number; offline: number; unknown: number };
};
