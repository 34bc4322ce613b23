/* FACP */
[000h 0000   4]                    Signature : "FACP"
[004h 0004   4]                 Table Length : 000000F4
[008h 0008   1]                     Revision : 03
[009h 0009   1]                     Checksum : 74
[00Ah 0010   6]                       Oem ID : "MACHC "
[010h 0016   8]                 Oem Table ID : "MACHCQ35"
[018h 0024   4]                 Oem Revision : 00000001
[01Ch 0028   4]              Asl Compiler ID : "MCHC"
[020h 0032   4]        Asl Compiler Revision : 00000001
[024h 0036   4]                 FACS Address : 00000000 (address of FACS)
[028h 0040   4]                 DSDT Address : 00000000 (address of DSDT)
[02Ch 0044   1]        Model (multiple APIC) : 01
[02Dh 0045   1]     PM Profile (unspecified) : 00
[02Eh 0046   2]                SCI Interrupt : 0009
[030h 0048   4]             SMI Command Port : 000000B2
[034h 0052   1]            ACPI Enable Value : 02
[035h 0053   1]           ACPI Disable Value : 03
[036h 0054   1]               S4BIOS Command : 00
[037h 0055   1]              P-State Control : 00
[038h 0056   4]     PM1A Event Block Address : 00000600
[03Ch 0060   4]     PM1B Event Block Address : 00000000
[040h 0064   4]   PM1A Control Block Address : 00000604
[044h 0068   4]   PM1B Control Block Address : 00000000
[048h 0072   4]    PM2 Control Block Address : 00000000
[04Ch 0076   4]       PM Timer Block Address : 00000608
[050h 0080   4]           GPE0 Block Address : 00000620
[054h 0084   4]           GPE1 Block Address : 00000000
[058h 0088   1]       PM1 Event Block Length : 04
[059h 0089   1]     PM1 Control Block Length : 02
[05Ah 0090   1]     PM2 Control Block Length : 00
[05Bh 0091   1]        PM Timer Block Length : 04
[05Ch 0092   1]            GPE0 Block Length : 10
[05Dh 0093   1]            GPE1 Block Length : 00
[05Eh 0094   1]             GPE1 Base Offset : 00
[05Fh 0095   1]                 _CST Support : 00
[060h 0096   2]   C2 Latency (not supported) : 0FFF
[062h 0098   2]   C3 Latency (not supported) : 0FFF
[064h 0100   2]               CPU Cache Size : 0000
[066h 0102   2]           Cache Flush Stride : 0000
[068h 0104   1]            Duty Cycle Offset : 00
[069h 0105   1]             Duty Cycle Width : 00
[06Ah 0106   1]          RTC Day Alarm Index : 00
[06Bh 0107   1]        RTC Month Alarm Index : 00
[06Ch 0108   1]            RTC Century Index : 32
[06Dh 0109   2]    Boot Flags (8042 present) : 0002
[06Fh 0111   1]                     Reserved : 00
[070h 0112   4]                        Flags : 000084A5
[074h 0116  12]               Reset Register : [Generic Address Structure] SystemIO, width 8, offset 0, access 0, address 0000000000000CF9
[080h 0128   1]         Value to cause reset : 0F
[081h 0129   2]                    ARM Flags : 0000
[083h 0131   1]          FADT Minor Revision : 00
[084h 0132   8] FACS Address (64-bit, unused) : 0000000000000000
[08Ch 0140   8]        DSDT Address (64-bit) : 0000000000000000 (address of DSDT)
[094h 0148  12]             PM1A Event Block : [Generic Address Structure] SystemIO, width 32, offset 0, access 0, address 0000000000000600
[0A0h 0160  12]             PM1B Event Block : [Generic Address Structure] SystemMemory, width 0, offset 0, access 0, address 0000000000000000
[0ACh 0172  12]           PM1A Control Block : [Generic Address Structure] SystemIO, width 16, offset 0, access 0, address 0000000000000604
[0B8h 0184  12]           PM1B Control Block : [Generic Address Structure] SystemMemory, width 0, offset 0, access 0, address 0000000000000000
[0C4h 0196  12]            PM2 Control Block : [Generic Address Structure] SystemMemory, width 0, offset 0, access 0, address 0000000000000000
[0D0h 0208  12]               PM Timer Block : [Generic Address Structure] SystemIO, width 32, offset 0, access 0, address 0000000000000608
[0DCh 0220  12]                   GPE0 Block : [Generic Address Structure] SystemIO, width 128, offset 0, access 0, address 0000000000000620
[0E8h 0232  12]                   GPE1 Block : [Generic Address Structure] SystemMemory, width 0, offset 0, access 0, address 0000000000000000
