/**
 * Every ASL keyword (ACPI 6.4 §19.2 and §19.6). ASL keywords are
 * case-insensitive (`store`, `STORE` and `Store` are one keyword, as iasl
 * reads them), and a keyword is never a name: `Method (WAIT)` is an error,
 * not a method called WAIT.
 */
import { OPERATORS } from './operators.js';

const WORDS = `
DefinitionBlock Scope Device Method Name Alias Mutex Event OperationRegion Field IndexField BankField
CreateBitField CreateByteField CreateWordField CreateDWordField CreateQWordField CreateField Processor PowerResource
ThermalZone External DataTableRegion If Else ElseIf While Switch Case Default Buffer Package VarPackage ToUUID EisaId
Unicode ResourceTemplate Zero One Ones Revision Debug Offset AccessAs Connection Include
Local0 Local1 Local2 Local3 Local4 Local5 Local6 Local7 Arg0 Arg1 Arg2 Arg3 Arg4 Arg5 Arg6
Serialized NotSerialized AnyAcc ByteAcc WordAcc DWordAcc QWordAcc BufferAcc NoLock Lock Preserve WriteAsOnes WriteAsZeros
SystemMemory SystemIO PCI_Config EmbeddedControl SMBus SystemCMOS PciBarTarget IPMI GeneralPurposeIo GenericSerialBus PCC FFixedHW
UnknownObj IntObj StrObj BuffObj PkgObj FieldUnitObj DeviceObj EventObj MethodObj MutexObj OpRegionObj PowerResObj
ProcessorObj ThermalZoneObj BuffFieldObj DDBHandleObj MTR MEQ MLE MLT MGE MGT
AttribQuick AttribSendReceive AttribByte AttribWord AttribBlock AttribProcessCall AttribBlockProcessCall
IO FixedIO IRQ IRQNoFlags DMA Interrupt Memory24 Memory32 Memory32Fixed Register VendorShort VendorLong
StartDependentFn StartDependentFnNoPri EndDependentFn WordIO DWordIO QWordIO DWordMemory QWordMemory WordBusNumber
WordSpace DWordSpace QWordSpace ExtendedIO ExtendedMemory ExtendedSpace FixedDMA GpioInt GpioIo I2cSerialBusV2
SpiSerialBusV2 UartSerialBusV2 Decode16 Decode10 ResourceConsumer ResourceProducer PosDecode SubDecode MinFixed MinNotFixed
MaxFixed MaxNotFixed ISAOnlyRanges NonISAOnlyRanges EntireRange TypeStatic TypeTranslation DenseTranslation SparseTranslation
NonCacheable Cacheable WriteCombining Prefetchable ReadWrite ReadOnly AddressRangeMemory AddressRangeReserved
AddressRangeACPI AddressRangeNVS Edge Level ActiveHigh ActiveLow ActiveBoth Exclusive Shared ExclusiveAndWake SharedAndWake
Compatibility TypeA TypeB TypeF BusMaster NotBusMaster Transfer8 Transfer16 Transfer8_16
PullDefault PullUp PullDown PullNone IoRestrictionNone IoRestrictionInputOnly IoRestrictionOutputOnly IoRestrictionNoneAndPreserve
ControllerInitiated DeviceInitiated AddressingMode7Bit AddressingMode10Bit
`;

const CANONICAL = new Map<string, string>();
for (const w of [...WORDS.split(/\s+/).filter(Boolean), ...OPERATORS.keys()]) CANONICAL.set(w.toLowerCase(), w);

/** The keyword's canonical spelling, or undefined when `word` is not a keyword. */
export function keyword(word: string): string | undefined {
  return CANONICAL.get(word.toLowerCase());
}
