/** Placeholder: the plugin host is defined in plugin-host.ts. */
export interface CpuPlugin {
  readonly name: string;
}
export interface PluginHost {
  onTranslate(b: unknown): void;
  beforeInsn(cpu: unknown, b: unknown, k: number): void;
  onInterrupt(cpu: unknown, v: number, exception: boolean, software: boolean): void;
}
