Q5112norld
r a BC-NL--TallmarkBridge 2ndLd-Writethru   12-01 0088
^BC-NL--Tallmark Bridge, 2nd Ld-Writethru, Correction,88<
^Storm closes Tallmark harbour bridge; engineers expect Friday reopening<
^Eds: Corrects first name of harbour master to Sigrid in 4th graf.<
^By MARA QUILLFEATHER=
^Fictional Press Writer=
	   TALLMARK, Norland (FP) _ Storm damage closed the Tallmark harbour bridge to all traffic on Tuesday, cutting the shortest road between the old town and the ferry terminal, city officials said. 
 
	   Engineers found cracks in two of the bridge's six supports after waves of up to five meters struck the harbour overnight. 
 
	   An inspection team from Valmora finished a first survey at midday and said the bridge could reopen to pedestrians by Friday. 
 
	   ``Nobody crosses until we know what is holding it up,'' harbour master Sigrid Halvard said. 
 

	   FP-WF-12-01-26 1236GMT<
