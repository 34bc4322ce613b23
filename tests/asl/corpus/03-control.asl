//// if
    Method (IF01, 1) { If (Arg0) { Return (1) }
        Return (0) }
//// if else
    Method (IF02, 1) { If (Arg0 == 1) { Return (1) } Else { Return (2) } }
//// if elseif else
    Method (IF03, 1) { If (Arg0 == 1) { Return (1) } ElseIf (Arg0 == 2) { Return (2) } Else { Return (3) } }
//// elseif chain without else
    Method (IF04, 1) { If (Arg0 == 1) { Local0 = 1 } ElseIf (Arg0 == 2) { Local0 = 2 } ElseIf (Arg0 == 3) { Local0 = 3 }
        Return (0) }
//// long elseif chain
    Method (IF05, 1) { If (Arg0 == 1) { Return (0x10) }
        ElseIf (Arg0 == 2) { Return (0x20) }
        ElseIf (Arg0 == 3) { Return (0x30) }
        ElseIf (Arg0 == 4) { Return (0x40) }
        Else { Return (0xFF) } }
//// else holding an if
    Method (IF06, 1) { If (Arg0) { Return (1) } Else { If (Arg0 == 0) { Return (2) } }
        Return (3) }
//// nested ifs
    Method (IF07, 2) { If (Arg0) { If (Arg1) { Return (3) } Else { Return (2) } }
        Return (0) }
//// empty if body
    Method (IF08, 1) { If (Arg0) { }
        Return (0) }
//// while loop counting
    Method (WH01, 1) { Local0 = 0
        While (Local0 < Arg0) { Local0++ }
        Return (Local0) }
//// while with break
    Method (WH02, 1) { Local0 = 0
        While (One) { If (Local0 >= Arg0) { Break }
            Local0 += 2 }
        Return (Local0) }
//// while with continue
    Method (WH03, 1) { Local0 = 0
        Local1 = 0
        While (Local0 < Arg0) { Local0++
            If (Local0 & 1) { Continue }
            Local1 += Local0 }
        Return (Local1) }
//// nested while loops
    Method (WH04, 2) { Local0 = 0
        Local2 = 0
        While (Local0 < Arg0) { Local1 = 0
            While (Local1 < Arg1) { Local2++
                Local1++ }
            Local0++ }
        Return (Local2) }
//// legacy while
    Method (WH05, 1) { Store (Zero, Local0)
        While (LLess (Local0, Arg0)) { Increment (Local0) }
        Return (Local0) }
//// switch on integer cases
    Method (SW01, 1) { Switch (ToInteger (Arg0)) { Case (1) { Return (0x10) } Case (2) { Return (0x20) } Default { Return (0) } } }
//// switch single case
    Method (SW02, 1) { Switch (Arg0) { Case (1) { Local0 = 2 } }
        Return (0) }
//// switch with package case
    Method (SW03, 1) { Switch (Arg0) { Case (Package () {1, 2, 3}) { Return (1) } Case (4) { Return (2) } } 
        Return (0) }
//// switch after other statements
    Method (SW04, 1) { Local0 = 1
        Switch (Arg0) { Case (1) { Local0 = 2 } Default { Local0 = 3 } }
        Return (Local0) }
//// two switches in one method
    Method (SW05, 2) { Local0 = 0
        Switch (Arg0) { Case (1) { Local0 = 1 } }
        Switch (Arg1) { Case (2) { Local0 += 2 } }
        Return (Local0) }
//// switch in two methods
    Method (SW06, 1) { Switch (Arg0) { Case (1) { Return (1) } }
        Return (0) }
    Method (SW07, 1) { Switch (Arg0) { Case (2) { Return (2) } }
        Return (0) }
//// switch on a string
    Method (SW08, 1) { Switch (ToString (Arg0)) { Case ("eth0") { Return (1) } Case ("eth1") { Return (2) } }
        Return (0) }
//// switch with break inside case
    Method (SW09, 1) { Local0 = 0
        Switch (Arg0) { Case (1) { Local0 = 1
                Break } Default { Local0 = 2 } }
        Return (Local0) }
//// return nothing
    Method (RT01) { Return }
//// return empty parentheses
    Method (RT02) { Return () }
//// return a string
    Method (RT03) { Return ("machc") }
//// return a package
    Method (RT04) { Return (Package () {1, 2}) }
//// return a buffer
    Method (RT05) { Return (Buffer () {0x11, 0x22}) }
//// method without body
    Method (EMP0) { }
//// serialized method
    Method (SER1, 1, Serialized) { Return (Arg0) }
//// method with sync level
    Method (SYN1, 0, Serialized, 3) { Return (1) }
//// method not serialized explicitly
    Method (NSR1, 2, NotSerialized) { Return (Arg0 + Arg1) }
//// method with return and parameter types
    Method (TYP1, 1, NotSerialized, 0, IntObj, IntObj) { Return (Arg0) }
//// method calling a method
    Method (CAL1, 1) { Return (Arg0 * 2) }
    Method (CAL2, 1) { Return (CAL1 (Arg0) + 1) }
//// forward call
    Method (FWD1, 1) { Return (FWD2 (Arg0)) }
    Method (FWD2, 1) { Return (Arg0) }
//// method call as a statement
    Method (ST01, 1) { Local0 = Arg0 }
    Method (ST02) { ST01 (5) }
//// call with three arguments
    Method (C3AR, 3) { Return (Arg0 | Arg1 | Arg2) }
    Method (C3CL) { Return (C3AR (1, 2, 4)) }
//// recursive method
    Method (FACT, 1, Serialized) { If (Arg0 <= 1) { Return (1) }
        Return (Arg0 * FACT (Arg0 - 1)) }
