Q5101norld
r a BC-NL--TallmarkBridge   12-01 0067
^BC-NL--Tallmark Bridge,67<
^Storm closes Tallmark harbour bridge<
^By MARA QUILLFEATHER=
^Fictional Press Writer=
	   TALLMARK, Norland (FP) _ Storm damage closed the Tallmark harbour bridge to all traffic on Tuesday, cutting the shortest road between the old town and the ferry terminal, city officials said. 
 
	   Engineers found cracks in two of the bridge's six supports after waves of up to five meters struck the harbour overnight. 
 
	   ``Nobody crosses until we know what is holding it up,'' harbour master Sigrun Halvard said. 
 

	   FP-WF-12-01-26 0912GMT<
