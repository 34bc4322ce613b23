/* XSDT */
[000h 0000   4]                    Signature : "XSDT"
[004h 0004   4]                 Table Length : 0000004C
[008h 0008   1]                     Revision : 01
[009h 0009   1]                     Checksum : C2
[00Ah 0010   6]                       Oem ID : "MACHC "
[010h 0016   8]                 Oem Table ID : "MACHCQ35"
[018h 0024   4]                 Oem Revision : 00000001
[01Ch 0028   4]              Asl Compiler ID : "MCHC"
[020h 0032   4]        Asl Compiler Revision : 00000001
[024h 0036   8]         ACPI Table Address 0 : 0000000000000000 (address of FACP)
[02Ch 0044   8]         ACPI Table Address 1 : 0000000000000000 (address of APIC)
[034h 0052   8]         ACPI Table Address 2 : 0000000000000000 (address of HPET)
[03Ch 0060   8]         ACPI Table Address 3 : 0000000000000000 (address of MCFG)
[044h 0068   8]         ACPI Table Address 4 : 0000000000000000 (address of WAET)
