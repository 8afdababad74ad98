Q5118norld
u a BC-NL--ValmoraGrainFire 1stLd-Writethru   12-01 0063
^BC-NL--Valmora Grain Fire, 1st Ld-Writethru,63<
^Fire in Valmora grain silo under control, spark blamed<
^Eds: Updates with fire chief's statement on cause.<
	   VALMORA, Norland (FP) _ Fire broke out in a grain silo at Valmora's river port on Tuesday, and firefighters evacuated workers from the surrounding warehouses, the port authority said. 
 
	   Smoke could be seen across the city's southern districts by early afternoon. 
 
	   Fire chief Arvo Tenn said the blaze was started by a spark from a conveyor belt and was under control by evening. 
 

	   FP-WF-12-01-26 1544GMT<
