/**
 * A drive: the medium slot of a storage device. Device models are built
 * from plain data (the generated machine module passes each drive's
 * DriveSpec), so building a machine touches no file; the run opens every
 * drive once before the guest starts (`Q35Machine.openDrives`) and reports
 * every image it cannot open at once. Until then, or without a spec (the
 * empty CD-ROM drive QEMU adds), the drive has no medium.
 */
import { isAbsolute, resolve } from 'node:path';
import { MemoryBlockBackend, OverlayBackend, RawFileBackend, type BlockBackend, type DriveMode, type DriveSpec } from './block.js';
import { Qcow2Backend } from './qcow2.js';

export interface OpenOptions {
  /** Folder that relative image paths are relative to (the machine file's). */
  readonly baseDir: string;
  /** Writes reach the image files of drives that are not read-only (default: an in-memory overlay). */
  readonly persist?: boolean;
}

export class Drive implements BlockBackend {
  private medium: BlockBackend | undefined;

  constructor(
    /** What the machine file says; undefined for a drive without a medium. */
    readonly spec: DriveSpec | undefined,
    /** Which drive of its device it is, for messages ("port 0", "namespace 1"). */
    readonly label: string,
  ) {}

  /** Whether a medium is inserted (an image opened or attached). */
  get present(): boolean {
    return this.medium !== undefined;
  }

  get size(): number {
    return this.medium?.size ?? 0;
  }

  get readOnly(): boolean {
    return this.medium?.readOnly ?? true;
  }

  /** How writes are handled once opened. */
  mode(opts: Pick<OpenOptions, 'persist'> = {}): DriveMode {
    if (this.spec?.readonly) return 'read-only';
    return opts.persist ? 'write-through' : 'overlay';
  }

  /** Inserts a backend directly (tests, in-memory disks). */
  attach(backend: BlockBackend | undefined): void {
    this.medium = backend;
  }

  /** Opens the image the spec names; an Error with a one-line message when it cannot. */
  open(opts: OpenOptions): void {
    const spec = this.spec;
    if (!spec) return;
    const path = isAbsolute(spec.image) ? spec.image : resolve(opts.baseDir, spec.image);
    const mode = this.mode(opts);
    if (spec.format === 'qcow2' && mode === 'write-through') {
      throw new Error(`${this.label}: ${path} is a qcow2 image; qcow2 images run with an in-memory overlay only (run without --persist, mark the drive readonly, or convert it to raw with qemu-img convert -O raw)`);
    }
    let file: BlockBackend;
    try {
      file = spec.format === 'qcow2' ? new Qcow2Backend(path) : new RawFileBackend(path, mode !== 'write-through');
    } catch (e) {
      const code = e instanceof Error ? (e as NodeJS.ErrnoException).code : undefined;
      const message = e instanceof Error ? e.message : String(e);
      // The qcow2 reader's own messages name the file and what is wrong with it.
      if (!code && spec.format === 'qcow2') throw new Error(`${this.label}: ${message}`);
      throw new Error(`${this.label}: cannot open ${path} (${code ?? message})`);
    }
    this.medium = mode === 'overlay' ? new OverlayBackend(file) : file;
  }

  read(offset: number, into: Uint8Array): boolean {
    return this.medium?.read(offset, into) ?? false;
  }

  write(offset: number, data: Uint8Array): boolean {
    return this.medium?.write(offset, data) ?? false;
  }

  flush(): boolean {
    return this.medium?.flush() ?? false;
  }
}

/** A drive with an in-memory medium of `bytes` (tests). */
export function memoryDrive(bytes: Uint8Array | number, label = 'memory', readOnly = false): Drive {
  const d = new Drive(undefined, label);
  d.attach(new MemoryBlockBackend(bytes, readOnly));
  return d;
}

/** What a device with drives exposes, so the machine can open them all. */
export interface DriveOwner {
  readonly drives: readonly Drive[];
}

export function hasDrives(x: unknown): x is DriveOwner {
  return typeof x === 'object' && x !== null && Array.isArray((x as { drives?: unknown }).drives);
}
