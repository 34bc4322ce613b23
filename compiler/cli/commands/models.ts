import { allDeviceModels } from '../../../runtime/devices/catalog.js';
import { modelProperties } from '../../schema/validate.js';
import type { Io } from '../io.js';

export async function runModels(io: Io): Promise<number> {
  for (const m of allDeviceModels()) {
    io.out(`${m.name.padEnd(20)} ${m.summary}\n`);
    const props = modelProperties(m.name).filter((p) => !['id', 'model'].includes(p));
    io.out(`${' '.repeat(21)}properties: ${props.join(', ')}\n`);
    if (m.sriov) io.out(`${' '.repeat(21)}SR-IOV: VF ${m.sriov.vfDeviceId.toString(16).padStart(4, '0')}, offset ${m.sriov.offset}, stride ${m.sriov.stride}${m.sriov.fixedTotalVfs ? `, ${m.sriov.defaultTotalVfs} VFs` : `, up to ${m.sriov.maxTotalVfs} VFs`} (QEMU ${m.sriov.qemuSince}+)\n`);
  }
  return 0;
}
